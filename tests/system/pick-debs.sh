#!/usr/bin/env bash
# Prints ModKit's packages of one profile in a folder (scripts/package.sh's names), the newest of each:
#   tests/system/pick-debs.sh <folder> 30|34
set -euo pipefail
dir=${1:?folder} profile=${2:?profile}
for package in modkit modkit-libkmod2; do
    ls -t "$dir/${package}_"*"+kmod$profile."*_amd64.deb 2>/dev/null | head -1
done
