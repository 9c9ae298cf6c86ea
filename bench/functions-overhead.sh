#!/usr/bin/env bash
# Cold start (instance init + first request) and warm per-message overhead of a step function:
# runs functions' EmulatorPipelineTest (Pub/Sub + Firestore emulators, fake GCS) and prints its
# BENCH line. PINGS (default 200) sets how many ping envelopes are averaged.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o -pl functions -am test -Dmaven.install.skip=true -Dtest=EmulatorPipelineTest \
  -Dsurefire.failIfNoSpecifiedTests=false -Dwavegraph.bench.pings="${PINGS:-200}" 2>&1 | grep -E '^(BENCH|SKIPPED)'
