#!/usr/bin/env bash
# Regenerates icons/ (RGBA PNGs) with ImageMagick. The icons are committed; run this only to change them.
set -euo pipefail
cd "$(dirname "$0")/.."
convert -size 512x512 xc:none -fill '#2f4fbf' -draw 'roundrectangle 24,24 488,488 104,104' \
  -fill '#ffffff' -draw 'roundrectangle 112,150 400,190 20,20' \
  -draw 'roundrectangle 112,236 340,276 20,20' -draw 'roundrectangle 112,322 372,362 20,20' \
  -fill '#ffc53d' -draw 'circle 392,256 392,226' PNG32:icons/icon.png
convert icons/icon.png -resize 128x128 PNG32:icons/128x128.png
convert icons/icon.png -resize 32x32 PNG32:icons/32x32.png
