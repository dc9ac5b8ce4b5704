"""The measuring side of .ci/bench-app and .ci/bench-tabs: a private X display, a first launch's
environment, the moment a window first shows content, and the memory of every process a launch
started.

Only the Python standard library and libX11 (which the webview already pulls in) are used, so
the bench needs nothing the tests do not.
"""

import ctypes
import ctypes.util
import os
import signal
import subprocess
import time
from pathlib import Path

SCREEN = (1280, 800)
# The band the first paint is looked for in: the top of a 1280x800 window placed at the screen's
# origin, where all three subjects draw their title text.
PAINT_BAND = (0, 0, 640, 64)
POLL_SECONDS = 0.01


class XImage(ctypes.Structure):
    # The leading fields of Xlib's XImage, up to the pixel data's layout.
    _fields_ = [
        ("width", ctypes.c_int),
        ("height", ctypes.c_int),
        ("xoffset", ctypes.c_int),
        ("format", ctypes.c_int),
        ("data", ctypes.POINTER(ctypes.c_char)),
        ("byte_order", ctypes.c_int),
        ("bitmap_unit", ctypes.c_int),
        ("bitmap_bit_order", ctypes.c_int),
        ("bitmap_pad", ctypes.c_int),
        ("depth", ctypes.c_int),
        ("bytes_per_line", ctypes.c_int),
        ("bits_per_pixel", ctypes.c_int),
    ]


class Display:
    """An Xvfb server of its own (black root, no TCP), and a connection to read its pixels."""

    def __init__(self):
        read_end, write_end = os.pipe()
        # -displayfd makes Xvfb pick a free display number and write it to us when it is ready.
        self.server = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_end), "-screen", "0", f"{SCREEN[0]}x{SCREEN[1]}x24",
             "-br", "-nolisten", "tcp"],
            pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        os.close(write_end)
        with os.fdopen(read_end) as numbers:
            number = numbers.readline().strip()
        if not number:
            self.server.kill()
            raise RuntimeError("Xvfb did not start")
        self.name = f":{number}"
        self.xlib = ctypes.CDLL(ctypes.util.find_library("X11"))
        self.xlib.XOpenDisplay.restype = ctypes.c_void_p
        self.xlib.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self.xlib.XDefaultRootWindow.restype = ctypes.c_ulong
        self.xlib.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        self.xlib.XGetImage.restype = ctypes.POINTER(XImage)
        self.xlib.XGetImage.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int,
                                        ctypes.c_int, ctypes.c_uint, ctypes.c_uint,
                                        ctypes.c_ulong, ctypes.c_int]
        self.xlib.XDestroyImage.argtypes = [ctypes.POINTER(XImage)]
        self.xlib.XCloseDisplay.argtypes = [ctypes.c_void_p]
        self.connection = self.xlib.XOpenDisplay(self.name.encode())
        if not self.connection:
            self.close()
            raise RuntimeError(f"cannot open display {self.name}")
        self.root = self.xlib.XDefaultRootWindow(self.connection)

    def band_has_content(self, band=PAINT_BAND):
        """True once `band` (x, y, width, height) holds more than one colour: a window's text
        or widgets. The bare root is uniformly black, and a mapped but unpainted window uniformly
        white."""
        x, y, width, height = band
        all_planes, z_pixmap = 0xFFFFFFFF, 2
        image = self.xlib.XGetImage(self.connection, self.root, x, y, width, height,
                                    all_planes, z_pixmap)
        try:
            img = image.contents
            pixels = ctypes.string_at(img.data, img.bytes_per_line * img.height)
        finally:
            self.xlib.XDestroyImage(image)
        step = img.bits_per_pixel // 8
        return pixels != pixels[:step] * (len(pixels) // step)

    def close(self):
        if getattr(self, "connection", None):
            self.xlib.XCloseDisplay(self.connection)
            self.connection = None
        if self.server.poll() is None:
            os.killpg(self.server.pid, signal.SIGKILL)
            self.server.wait()


def fresh_env(display, home):
    """A first launch: empty home and XDG folders, no session bus (so no single-instance
    hand-over and no keyring), no accessibility bus."""
    runtime = home / "runtime"
    for sub in ("config", "data", "cache"):
        (home / sub).mkdir(parents=True)
    runtime.mkdir(mode=0o700)
    # The release build's check for updates at start is turned off as a user would turn it off:
    # a measurement sends nothing off this machine, and times no update server.
    app_config = home / "config" / "com.push3desk.Push3Desk"
    app_config.mkdir()
    (app_config / "preferences.json").write_text('{"checkForUpdatesAtStart": false}')
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "TZ")}
    return {**keep, "HOME": str(home), "DISPLAY": display, "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_DATA_HOME": str(home / "data"), "XDG_CACHE_HOME": str(home / "cache"),
            "XDG_RUNTIME_DIR": str(runtime), "DBUS_SESSION_BUS_ADDRESS": "disabled:",
            "NO_AT_BRIDGE": "1"}


def session_processes(sid):
    """Every live process in session `sid`: the launched process and everything it started,
    including helpers that were re-parented to init (Chromium's crash handler)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # Fields after the parenthesised command name: state ppid pgrp session ...
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[3]) == sid and fields[0] != "Z":
            pids.append(int(entry.name))
    return pids


def pss_kib(pids):
    """The proportional set size of each of `pids` by process name, from
    /proc/PID/smaps_rollup. PSS splits shared pages between the processes that map them, so the
    sum counts each page once."""
    by_name = {}
    for pid in pids:
        try:
            name = Path(f"/proc/{pid}/comm").read_text().strip()
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    by_name[name] = by_name.get(name, 0) + int(line.split()[1])
                    break
        except OSError:
            continue  # exited meanwhile
    return by_name


class Launch:
    """One subject started in a session of its own, with its stderr kept for when it fails."""

    def __init__(self, argv, env, stderr_path):
        self.stderr_path = stderr_path
        self.started = time.monotonic()
        with open(stderr_path, "wb") as stderr:
            self.process = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL,
                                            stdout=subprocess.DEVNULL, stderr=stderr,
                                            start_new_session=True)

    def wait_for_first_paint(self, display, timeout, band=PAINT_BAND):
        """Seconds from spawn until `band` (by default the paint band) first shows content."""
        deadline = self.started + timeout
        while time.monotonic() < deadline:
            if display.band_has_content(band):
                return time.monotonic() - self.started
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.describe()} exited with {self.process.returncode}")
            time.sleep(POLL_SECONDS)
        raise RuntimeError(f"{self.describe()} painted nothing in {timeout} s")

    def memory_kib(self):
        """PSS in KiB of every process of the launch, by process name."""
        return pss_kib(session_processes(self.process.pid))

    def stop(self):
        """SIGTERM to the whole session, SIGKILL to whatever is left after 3 s."""
        for sig, grace in ((signal.SIGTERM, 3.0), (signal.SIGKILL, 3.0)):
            left = session_processes(self.process.pid)
            if not left:
                break
            for pid in left:
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    pass
            deadline = time.monotonic() + grace
            while session_processes(self.process.pid) and time.monotonic() < deadline:
                self.process.poll()  # reaps our direct child so it stops counting
                time.sleep(0.05)
        self.process.wait()

    def describe(self):
        tail = Path(self.stderr_path).read_bytes()[-800:].decode(errors="replace")
        return f"{self.process.args[0]} (stderr ends: {tail.strip() or 'nothing'})"


def wait_until_blank(display, timeout=10.0):
    """Waits for the previous subject's window to be gone from the paint band."""
    deadline = time.monotonic() + timeout
    while display.band_has_content():
        if time.monotonic() > deadline:
            raise RuntimeError("the screen still shows the previous window")
        time.sleep(0.05)
