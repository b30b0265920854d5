#!/usr/bin/env python3
"""A stand-in scan engine for tools/screenshots.sh: a pseudo-terminal whose slave side is
linked at LINK (the kiosk's [scanner] port), sending each line read from standard input to
the kiosk with a CR, as a module set to the CR suffix does. Runs until standard input ends."""
import os
import sys
import time
import tty

link = sys.argv[1]
master, slave = os.openpty()
tty.setraw(slave)  # as a USB-CDC port: no echo, no line discipline
# Under cage the kiosk runs as another user (tools/screenshots.sh): let it open the port, as
# the udev rule's group does for a real scanner.
os.chmod(os.ttyname(slave), 0o666)
if os.path.lexists(link):
    os.remove(link)
os.symlink(os.ttyname(slave), link)
try:
    for line in sys.stdin:
        os.write(master, line.strip().encode() + b"\r")
        time.sleep(0.05)
finally:
    os.remove(link)
