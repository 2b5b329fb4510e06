"""The phones of phones_load.py, in their own process: N phones from 127.0.0.2, 127.0.0.3…

Each phone binds its sockets to its own loopback source address (a room of distinct
devices, as the server's per-address rate limit sees them), joins, then sends its ideas
paced under the per-phone limit (5 within 3 s), and polls the state URL as the page
script does. Prints one JSON line: every response time in seconds and the failures.

Run by phones_load.py: python bench/phones_clients.py URL PHONES IDEAS
Traffic goes only to the URL given, which phones_load.py builds on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from urllib.parse import urlsplit

import aiohttp

PACE = 0.7  # seconds between two ideas of one phone: 4–5 within any 3 s window


async def phone(number: int, url: str, ideas: int, times: list[float], failures: list[str]) -> None:
    source = f"127.0.0.{number + 2}"
    connector = aiohttp.TCPConnector(local_addr=(source, 0), limit=2)
    timeout = aiohttp.ClientTimeout(total=10)
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(connector=connector, cookie_jar=jar, timeout=timeout) as s:

        async def timed(method: str, path: str, **kwargs: object) -> int:
            start = time.perf_counter()
            async with s.request(method, url + path, allow_redirects=False, **kwargs) as r:
                await r.read()
                times.append(time.perf_counter() - start)
                return r.status

        await asyncio.sleep(number * 0.02)  # phones scan the code over a second or so
        if await timed("GET", "") != 200:
            failures.append(f"{source}: join page")
        if await timed("POST", "join", data={"name": f"Phone {number}"}) != 303:
            failures.append(f"{source}: join")
        for n in range(ideas):
            status = await timed("POST", "idea", data={"idea": f"Idée {n} du téléphone {number}"})
            if status != 303:
                failures.append(f"{source}: idea {n}: {status}")
            if n % 4 == 0:
                await timed("GET", "state")
            await asyncio.sleep(PACE)


async def main() -> None:
    url, phones, ideas = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    assert urlsplit(url).hostname == "127.0.0.1", "loopback only"
    times: list[float] = []
    failures: list[str] = []
    await asyncio.gather(*(phone(n, url, ideas, times, failures) for n in range(phones)))
    print(json.dumps({"times": times, "failures": failures}))


if __name__ == "__main__":
    asyncio.run(main())
