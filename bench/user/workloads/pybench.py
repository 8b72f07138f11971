# pybench.py ROUNDS: a deterministic mix of what Python programs spend their time on (str, dict and
# list work, a small class hierarchy, integer math, json, re), for bench/user/run. The output is the
# same on every CPython >= 3.7 (dicts keep insertion order; no sets or hashes are printed), so the
# riscv64 guest's python3 is checked against the host's.
import json
import re
import sys


class Rng:
    """A 64-bit LCG: the same numbers on every machine and Python version."""

    def __init__(self, seed):
        self.state = seed

    def next(self, n):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) & (2**64 - 1)
        return (self.state >> 33) % n


SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ze", "qua", "ber", "don", "fin", "gar"]


def words(rng, count):
    return ["".join(SYLLABLES[rng.next(len(SYLLABLES))] for _ in range(1 + rng.next(3))) for _ in range(count)]


def text_work(rng):
    ws = words(rng, 3000)
    text = " ".join(ws)
    counts = {}
    for w in text.split():
        counts[w] = counts.get(w, 0) + 1
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    caps = "".join(w.capitalize() for w in ws[:200])
    rev = {w[::-1]: len(w) for w in counts}
    lines = [text[i:i + 60].strip() for i in range(0, len(text), 60)]
    return f"words={len(ws)} distinct={len(counts)} top={top} caps={len(caps)} rev={sum(rev.values())} lines={len(lines)}"


class Shape:
    def __init__(self, name):
        self.name = name

    def area(self):
        raise NotImplementedError

    def perimeter(self):
        raise NotImplementedError

    def describe(self):
        return f"{type(self).__name__}({self.name}) a={self.area()} p={self.perimeter()}"


class Rect(Shape):
    def __init__(self, name, w, h):
        super().__init__(name)
        self.w, self.h = w, h

    def area(self):
        return self.w * self.h

    def perimeter(self):
        return 2 * (self.w + self.h)


class Square(Rect):
    def __init__(self, name, s):
        super().__init__(name, s, s)


class Triangle(Shape):
    def __init__(self, name, a, b, c):
        super().__init__(name)
        self.sides = (a, b, c)

    def area(self):  # 16 * area^2 (Heron), an integer
        a, b, c = self.sides
        return (a + b + c) * (-a + b + c) * (a - b + c) * (a + b - c)

    def perimeter(self):
        return sum(self.sides)


def shape_work(rng):
    shapes = []
    for i in range(1500):
        kind = rng.next(3)
        if kind == 0:
            shapes.append(Rect(f"r{i}", 1 + rng.next(50), 1 + rng.next(50)))
        elif kind == 1:
            shapes.append(Square(f"s{i}", 1 + rng.next(40)))
        else:
            a, b = 5 + rng.next(20), 5 + rng.next(20)
            shapes.append(Triangle(f"t{i}", a, b, 1 + abs(a - b) + rng.next(min(a, b) * 2 - 1)))
    by_kind = {}
    for s in shapes:
        by_kind.setdefault(type(s).__name__, []).append(s)
    largest = max(shapes, key=lambda s: (s.area(), s.name))
    total = sum(s.perimeter() for s in shapes if isinstance(s, Rect))
    descs = [s.describe() for s in sorted(shapes, key=lambda s: (s.perimeter(), s.name))[:3]]
    return f"kinds={sorted((k, len(v)) for k, v in by_kind.items())} largest={largest.describe()} rectp={total} first={descs}"


def math_work(rng):
    n = 30000
    sieve = bytearray([1]) * (n + 1)
    sieve[0] = sieve[1] = 0
    for i in range(2, int(n**0.5) + 1):
        if sieve[i]:
            sieve[i * i::i] = bytearray(len(range(i * i, n + 1, i)))
    primes = [i for i, p in enumerate(sieve) if p]

    def gcd(a, b):
        while b:
            a, b = b, a % b
        return a

    g = sum(gcd(rng.next(10**6), rng.next(10**6)) for _ in range(2000))
    modexp = sum(pow(p, 65537, 1000000007) for p in primes[:500]) % 1000000007
    fact = 1
    for i in range(2, 400):
        fact *= i
    collatz = 0
    for start in range(1, 1500):
        x = start
        while x != 1:
            x = x // 2 if x % 2 == 0 else 3 * x + 1
            collatz += 1
    return f"primes={len(primes)} last={primes[-1]} gcd={g} modexp={modexp} fact_digits={sum(map(int, str(fact)))} collatz={collatz}"


def json_work(rng):
    records = []
    for i in range(400):
        records.append({
            "id": i,
            "name": "".join(words(rng, 2)),
            "tags": words(rng, rng.next(5)),
            "score": rng.next(1000) / 8,
            "active": rng.next(2) == 1,
            "nested": {"x": rng.next(100), "y": [rng.next(10) for _ in range(4)], "z": None},
        })
    text = json.dumps({"records": records, "version": 3}, sort_keys=True)
    back = json.loads(text)
    pretty = json.dumps(back["records"][:20], indent=2)
    active = [r for r in back["records"] if r["active"]]
    score = sum(r["score"] for r in active)
    return f"json={len(text)} pretty={len(pretty)} active={len(active)} score={score} same={back['records'] == records}"


DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
EMAIL = re.compile(r"\b([a-z]+)\.([a-z]+)@([a-z]+)\.(org|com|net)\b")
WORD = re.compile(r"\b(?:ka|lo)\w*\b")


def re_work(rng):
    parts = []
    for i in range(1500):
        w = words(rng, 3)
        parts.append(f"{w[0]}.{w[1]}@{w[2]}.{('org', 'com', 'net')[rng.next(3)]} on "
                     f"{1990 + rng.next(35)}-{1 + rng.next(12):02d}-{1 + rng.next(28):02d} id{i}")
    text = "\n".join(parts)
    dates = DATE.findall(text)
    years = {}
    for y, _, _ in dates:
        years[y] = years.get(y, 0) + 1
    emails = EMAIL.findall(text)
    domains = sorted({m[3] for m in emails})
    swapped = DATE.sub(r"\3/\2/\1", text)
    kalo = len(WORD.findall(text))
    split = re.split(r"\s+on\s+", parts[0])
    return f"dates={len(dates)} years={len(years)} emails={len(emails)} domains={domains} swapped={len(swapped)} kalo={kalo} split={split}"


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    rng = Rng(20240601)
    for r in range(rounds):
        results = [text_work(rng), shape_work(rng), math_work(rng), json_work(rng), re_work(rng)]
        checksum = 0
        for s in results:
            for ch in s:
                checksum = (checksum * 31 + ord(ch)) % 1000000007
        print(f"round {r}: {checksum}")
        if r == rounds - 1:
            print("\n".join(results))


main()
