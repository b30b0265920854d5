#!/usr/bin/env python3
"""How long a full-screen kiosk (a 1000x600 window asked for) takes to fill cage's output, two ways:

  grim       cage headless, 1280x720, a picture taken with grim every 200 ms, as a technician
             does. With cage 0.1.4 grim has cage draw the output afresh, which can be stale
             while the kiosk's own buffer is scanned out (see tests/screen/fullscreen.rs).
  presented  cage's X11 backend in Xvfb, 1024x768, what cage presents read from Xvfb's
             framebuffer every 200 ms: the picture a panel shows.

  python3 bench/cage_fill.py BINARY [RUNS] [--busy] [--display-zero]

--busy keeps every core busy; --display-zero starts an X server on :0 first (as on the machine
where the kiosk was seen stale). Run as root: cage runs as the user mpp-screen, as in the tests.
Prints each run's seconds from cage's start to the first filled picture.
"""
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time

PAPER = (0xF5, 0xF7, 0xFA)
USER = "mpp-screen"
LIMIT = 120.0
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def as_user(command, env):
    uid = subprocess.check_output(["id", "-u", USER]).decode().strip()
    gid = subprocess.check_output(["id", "-g", USER]).decode().strip()
    return ["setpriv", f"--reuid={uid}", f"--regid={gid}", "--init-groups", "--", "env", "-i"] + [
        f"{key}={value}" for key, value in env.items()
    ] + command


def filled(width, height, pixel):
    near = lambda p: all(abs(a - b) <= 6 for a, b in zip(p, PAPER))
    edges = [(x, 0) for x in range(0, width, 8)] + [(x, height - 1) for x in range(0, width, 8)]
    edges += [(0, y) for y in range(0, height, 8)] + [(width - 1, y) for y in range(0, height, 8)]
    return all(near(pixel(x, y)) for x, y in edges)


def grim_picture(env):
    out = subprocess.run(as_user(["grim", "-t", "ppm", "-"], env), capture_output=True, timeout=30).stdout
    if not out.startswith(b"P6"):
        return False
    _, width, height, _, data = out.split(maxsplit=4)
    width, height = int(width), int(height)
    return filled(width, height, lambda x, y: tuple(data[(y * width + x) * 3:(y * width + x) * 3 + 3]))


def presented_picture(path, size):
    data = open(path, "rb").read()
    field = lambda index: struct.unpack(">I", data[index * 4:index * 4 + 4])[0]
    header, bytes_per_line, colours = field(0), field(12), field(19)
    pixels = data[header + colours * 12:]

    def pixel(x, y):
        at = y * bytes_per_line + x * 4
        return (pixels[at + 2], pixels[at + 1], pixels[at])

    return filled(size[0], size[1], pixel)


def config(folder):
    lines = []
    for line in open(os.path.join(ROOT, "kiosk.toml")):
        key = line.split(" = ")[0]
        line = {
            "database": f'database = "{folder}/kiosk.db"\n',
            "output_dir": f'output_dir = "{folder}/prints"\n',
            "fullscreen": "fullscreen = true\n",
            "window_width": "window_width = 1000\n",
            "window_height": "window_height = 600\n",
        }.get(key, line)
        lines.append(line)
    open(os.path.join(folder, "kiosk.toml"), "w").writelines(lines)


def run(binary, mode):
    folder = tempfile.mkdtemp(prefix="cage-fill-")
    os.makedirs(f"{folder}/run", mode=0o700)
    config(folder)
    subprocess.run(["chown", "-R", f"{USER}:{USER}", folder], check=True)
    env = {"PATH": os.environ["PATH"], "XDG_RUNTIME_DIR": f"{folder}/run", "HOME": folder,
           "WLR_RENDERER": "pixman", "WLR_LIBINPUT_NO_DEVICES": "1", "MPP_KIOSK_LOG": "info"}
    xvfb = None
    if mode == "presented":
        xvfb = subprocess.Popen(["Xvfb", "-displayfd", "1", "-nolisten", "tcp", "-screen", "0",
                                 "1024x768x24", "-fbdir", folder], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL)
        env.update(WLR_BACKENDS="x11", DISPLAY=":" + xvfb.stdout.readline().decode().strip())
    else:
        env.update(WLR_BACKENDS="headless")
    kiosk = [binary, "--config", f"{folder}/kiosk.toml", "--now", "2026-11-23T02:30:57Z"]
    began = time.monotonic()
    cage = subprocess.Popen(as_user(["cage", "-s", "--"] + kiosk, env), cwd=folder,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen = None
    while time.monotonic() - began < LIMIT:
        try:
            if mode == "grim":
                good = os.path.exists(f"{folder}/run/wayland-0") and grim_picture(
                    dict(env, WAYLAND_DISPLAY="wayland-0"))
            else:
                good = presented_picture(f"{folder}/Xvfb_screen0", (1024, 768))
        except (OSError, subprocess.TimeoutExpired, struct.error, IndexError):
            good = False
        if good:
            seen = time.monotonic() - began
            break
        time.sleep(0.2)
    cage.terminate()
    cage.wait()
    if xvfb:
        xvfb.terminate()
        xvfb.wait()
    shutil.rmtree(folder, ignore_errors=True)
    return seen


def main():
    args = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    if not args:
        sys.exit(__doc__)
    binary, runs = os.path.abspath(args[0]), int(args[1]) if len(args) > 1 else 5
    helpers = []
    if "--display-zero" in sys.argv:
        helpers.append(subprocess.Popen(["Xvfb", ":0", "-nolisten", "tcp"], stderr=subprocess.DEVNULL))
    if "--busy" in sys.argv:
        for _ in range(os.cpu_count() or 2):
            helpers.append(subprocess.Popen(["sh", "-c", "while :; do :; done"]))
    try:
        for mode in ("grim", "presented"):
            times = []
            for _ in range(runs):
                seen = run(binary, mode)
                times.append(seen)
                state = f"{seen:.2f} s" if seen is not None else f"not filled in {LIMIT:.0f} s"
                print(f"{mode:9} filled after {state}", flush=True)
            done = sorted(t for t in times if t is not None)
            if done:
                print(f"{mode:9} median {done[len(done) // 2]:.2f} s, worst {done[-1]:.2f} s, "
                      f"{runs - len(done)} of {runs} never filled", flush=True)
    finally:
        for helper in helpers:
            helper.terminate()


if __name__ == "__main__":
    main()
