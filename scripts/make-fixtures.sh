#!/usr/bin/env bash
# Makes the short speech and noise fixtures the integration tests and the benchmark
# play through bots (48 kHz mono 16-bit WAV). They are committed; run this again only
# to change them. Needs espeak-ng and sox (apt-get install espeak-ng sox).
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/tests/fixtures/audio"
mkdir -p "$out"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

say() { # name voice text
  espeak-ng -v "$2" -s 165 -a 160 -w "$tmp/$1.raw.wav" "$3"
  # 48 kHz mono, trimmed of espeak's leading/trailing silence, normalised to -3 dBFS.
  sox "$tmp/$1.raw.wav" -r 48000 -c 1 -b 16 "$out/$1.wav" silence 1 0.01 0.5% reverse silence 1 0.01 0.5% reverse gain -n -3
}

say speech-alice en-us+f3 "Let's look at the numbers for this quarter, starting with revenue and then costs."
say speech-bob en-gb+m3 "I disagree. The churn figure is wrong, and we should check it again before the meeting."
say speech-carol en-us+f4 "Good point. Let me pull up the report so that everyone can see the same thing."
say yes en-gb+m3 "yes"
# A 150 ms click burst: a sharp decaying noise transient, as a desk tap or a mic bump.
sox -n -r 48000 -c 1 -b 16 "$out/click.wav" synth 0.15 whitenoise fade q 0.002 0.15 0.14 gain -6
ls -l "$out"
for f in "$out"/*.wav; do printf '%s %s s\n' "$(basename "$f")" "$(soxi -D "$f")"; done
