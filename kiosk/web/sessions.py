"""Flask's signed-cookie sessions, without the age check on the signature's wall-clock stamp.

A kiosk's clock is set back (NTP once the LAN is up, a 1970 start) or jumps weeks ahead; itsdangerous then
finds every cookie signed "in the future" or too old and drops it: every visitor's CSRF token and running quiz,
and every staff member's sign-in, gone at once. How long a session lasts is decided elsewhere, on the monotonic
clock (kiosk/staff/sessions.py); the cookie's signature still proves it came from this kiosk."""

from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature


class ClockProofSessions(SecureCookieSessionInterface):
    """Signed cookie sessions whatever the wall clock says."""

    def open_session(self, app, request):
        """Return the session from its signed cookie, or a new one; never judged by the wall clock."""
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        try:
            return self.session_class(serializer.loads(value))
        except BadSignature:
            return self.session_class()


def init_app(app):
    """Use the clock-proof sessions."""
    app.session_interface = ClockProofSessions()
