"""Byte-range file responses that waitress hands to its I/O thread instead of a worker."""

import os

from flask import Response, request
from werkzeug.http import parse_range_header, quote_etag, unquote_etag
from werkzeug.wsgi import wrap_file


class RangeFile:
    """A read-only view of bytes [start, stop) of a file that looks like a whole file."""

    def __init__(self, path, start, stop):
        self._file = open(path, "rb")
        self._start, self._length = start, stop - start
        self._file.seek(start)

    def read(self, size=-1):
        """Read at most size bytes, never past the end of the view."""
        left = self._length - self.tell()
        size = left if size is None or size < 0 else min(size, left)
        return self._file.read(max(size, 0))

    def seek(self, offset, whence=os.SEEK_SET):
        """Move within the view, as a file would."""
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self.tell(), os.SEEK_END: self._length}[whence]
        self._file.seek(self._start + min(max(base + offset, 0), self._length))
        return self.tell()

    def tell(self):
        """Return the position within the view."""
        return self._file.tell() - self._start

    def seekable(self):
        """Say the view can seek, so the server can size it."""
        return True

    def close(self):
        """Close the underlying file."""
        self._file.close()


def send_media(path, mimetype, etag, max_age):
    """Answer a GET for a file with ETag, 304, Range (206/416) and Cache-Control."""
    size = os.path.getsize(path)
    tag = quote_etag(etag)
    headers = {"ETag": tag, "Accept-Ranges": "bytes", "Cache-Control": f"public, max-age={max_age}"}
    if etag in [unquote_etag(t.strip())[0] for t in request.headers.get("If-None-Match", "").split(",") if t.strip()]:
        return Response(status=304, headers=headers)
    start, stop, status = 0, size, 200
    ranges = parse_range_header(request.headers.get("Range"))
    if_range = request.headers.get("If-Range")
    if ranges is not None and (if_range is None or unquote_etag(if_range)[0] == etag):
        bounds = ranges.range_for_length(size)
        if bounds is None and len(ranges.ranges) == 1:
            return Response(status=416, headers={**headers, "Content-Range": f"bytes */{size}"})
        if bounds is not None:
            (start, stop), status = bounds, 206
            headers["Content-Range"] = f"bytes {start}-{stop - 1}/{size}"
    headers["Content-Length"] = str(stop - start)
    if request.method == "HEAD":
        return Response(status=status, mimetype=mimetype, headers=headers)
    body = wrap_file(request.environ, RangeFile(path, start, stop))
    return Response(body, status=status, mimetype=mimetype, headers=headers, direct_passthrough=True)
