"""The JSON-lines channel over a Docker attach socket.

With ``tty=False`` the engine multiplexes the container's stdout and stderr
on one socket, each frame behind an 8-byte header (stream, 3 zero bytes,
big-endian length); what we write to the socket is the container's stdin.
A reader thread splits the frames: stdout (the agent's protocol) goes into
a local pipe that the ordinary ``JsonLineChannel`` reads with its host-side
deadlines and size caps, stderr (everything the submission prints) into a
capped buffer. The thread always keeps reading, so a flooding submission
never stalls the protocol, and the grader's memory stays bounded.
"""

from __future__ import annotations

import os
import select
import socket
import ssl
import threading

from grader.sandbox.channel import CappedOutput, JsonLineChannel

HEADER_BYTES = 8
STDOUT, STDERR = 1, 2


def raw_socket(attached):
    """The socket under what ``APIClient.attach_socket`` returns."""
    return getattr(attached, "_sock", attached)


class AttachStream:
    """Reads the multiplexed stream until it ends; see the module docstring."""

    def __init__(self, sock, output: CappedOutput):
        self.sock = sock
        sock.setblocking(False)
        self.output = output
        self.read_fd, self._write_fd = os.pipe()
        self._thread = threading.Thread(target=self._run, name="sandbox-attach", daemon=True)
        self._thread.start()

    def _recv(self) -> bytes:
        while True:
            pending = getattr(self.sock, "pending", None)
            if not (pending and pending()):
                try:
                    select.select([self.sock], [], [])
                except (OSError, ValueError):
                    return b""
            try:
                return self.sock.recv(1 << 16)
            except (BlockingIOError, InterruptedError, ssl.SSLWantReadError, ssl.SSLWantWriteError):
                continue
            except OSError:
                return b""

    def _run(self) -> None:
        buffer = bytearray()
        protocol_open = True
        try:
            while True:
                chunk = self._recv()
                if not chunk:
                    return
                buffer += chunk
                while len(buffer) >= HEADER_BYTES:
                    size = int.from_bytes(buffer[4:8], "big")
                    if len(buffer) < HEADER_BYTES + size:
                        break
                    stream = buffer[0]
                    payload = bytes(buffer[HEADER_BYTES:HEADER_BYTES + size])
                    del buffer[:HEADER_BYTES + size]
                    if stream == STDOUT and protocol_open:
                        protocol_open = self._forward(payload)
                    elif stream == STDERR:
                        self.output.feed(payload)
        finally:
            os.close(self._write_fd)

    def _forward(self, data: bytes) -> bool:
        view = memoryview(data)
        try:
            while view:
                view = view[os.write(self._write_fd, view):]
        except OSError:   # the channel was closed: keep draining stderr
            return False
        return True

    def shutdown(self) -> None:
        """Stop reading: wakes the thread, which then closes the pipe."""
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except (OSError, ValueError):
            pass

    def join(self, timeout: float) -> None:
        self._thread.join(timeout)

    def close(self) -> None:
        try:
            os.close(self.read_fd)
        except OSError:
            pass
        self.join(2)
        self.shutdown()
        self.join(2)
        try:
            self.sock.close()
        except OSError:
            pass


class AttachChannel(JsonLineChannel):
    """``JsonLineChannel`` writing to the attach socket and reading the
    protocol pipe the ``AttachStream`` fills."""

    def __init__(self, stream: AttachStream):
        super().__init__(stream.sock.fileno(), stream.read_fd)
        self._sock = stream.sock

    def _write_some(self, data: memoryview) -> int:
        try:
            return self._sock.send(data)
        except (BlockingIOError, InterruptedError, ssl.SSLWantReadError, ssl.SSLWantWriteError):
            return 0

    def send_raw(self, data: bytes, timeout: float) -> None:
        """Write bytes that are not a request (the bootstrap's payload)."""
        import time
        self._write_all(data, time.monotonic() + timeout)
