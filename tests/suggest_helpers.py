"""What the suggestion tests share: a phone's address, a good suggestion, and opening and sending the form."""

import re

PHONE_CLIENT = {"REMOTE_ADDR": "192.168.1.23"}
GOOD = {
    "content": "外业照片按图斑编号自动命名，省去手工改名。",
    "consent_authenticity": "1",
    "consent_authorization": "1",
}


def open_form(client, path="/suggest", **kwargs):
    """GET the form and return (html, csrf token, form token)."""
    html = client.get(path, **kwargs).get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    form_token = re.search(r'name="form_token" value="([^"]+)"', html).group(1)
    return html, csrf, form_token


def submit(client, fields, path="/suggest", **kwargs):
    """Open the form and submit fields with its tokens; return the response."""
    _, csrf, form_token = open_form(client, path, **kwargs)
    return client.post("/suggest", data={"csrf_token": csrf, "form_token": form_token, **fields}, **kwargs)
