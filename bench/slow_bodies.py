"""The load of bench/slow_bodies.sh, on 127.0.0.1 only (see there).

  python3 bench/slow_bodies.py flood  PORT SOCKETS SECONDS   sockets trickling a request body
  python3 bench/slow_bodies.py health PORT SOCKETS SECONDS   a health check every 250 ms

Two processes: one busy with hundreds of sockets would itself be late to send a health check's
request once connected, and the server would rightly close that connection as idle.
"""

import asyncio
import random
import statistics
import sys
import time

MODE, PORT, SOCKETS, SECONDS = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
assert SOCKETS <= 2000, "at most 2000 sockets"
random.seed(23)
# The phone survey form: read before any signature is checked, by anyone, without a secret.
HEAD = (
    "POST /t/KIOSK-01/bench/survey?s=x HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 4000\r\n\r\na"
).encode()
HEALTH = b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
STOP = time.monotonic() + SECONDS


async def trickler(held):
    """Sends the head, then a byte every 2 s until the server closes; then again at once."""
    await asyncio.sleep(random.random())
    while time.monotonic() < STOP:
        started = time.monotonic()
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
        except OSError:
            await asyncio.sleep(0.1)
            continue

        async def send():
            try:
                writer.write(HEAD)
                while True:
                    await asyncio.sleep(2)
                    writer.write(b"a")
                    await writer.drain()
            except (OSError, ConnectionError):
                pass

        sending = asyncio.create_task(send())
        try:
            await asyncio.wait_for(reader.read(), timeout=max(0.1, STOP - time.monotonic()))
            held.append(time.monotonic() - started)
        except (asyncio.TimeoutError, OSError):
            pass
        sending.cancel()
        writer.close()


async def flood():
    held = []
    await asyncio.gather(*(trickler(held) for _ in range(SOCKETS)))
    if held:
        print(
            f"trickling connections closed by the server: {len(held)}, held (from connect) "
            f"p50 {statistics.median(held):.2f} s, max {max(held):.2f} s"
        )
    else:
        print("trickling connections closed by the server: 0")


async def health():
    answered, asked, latencies, failures = 0, 0, [], {}
    await asyncio.sleep(2)
    while time.monotonic() < STOP:
        asked += 1
        started = time.monotonic()
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection("127.0.0.1", PORT), 10
            )
            writer.write(HEALTH)
            answer = await asyncio.wait_for(reader.read(), 10)
            writer.close()
            if answer.startswith(b"HTTP/1.1 200"):
                answered += 1
                latencies.append(time.monotonic() - started)
            else:
                key = answer[:12].decode(errors="replace") or "closed unanswered"
                failures[key] = failures.get(key, 0) + 1
        except (asyncio.TimeoutError, OSError) as error:
            failures[type(error).__name__] = failures.get(type(error).__name__, 0) + 1
        await asyncio.sleep(0.25)
    ms = sorted(1000 * latency for latency in latencies)

    def pick(q):
        return ms[min(len(ms) - 1, int(q * len(ms)))] if ms else float("nan")

    print(f"health checks answered: {answered}/{asked}" + (f" (not: {failures})" if failures else ""))
    print(
        f"health latency ms: p50 {pick(0.5):.1f}, p90 {pick(0.9):.1f}, p99 {pick(0.99):.1f}, "
        f"max {ms[-1] if ms else float('nan'):.1f}"
    )


asyncio.run(flood() if MODE == "flood" else health())
