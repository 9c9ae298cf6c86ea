#!/usr/bin/env bash
# Cold start (instance init + first request) and warm per-message overhead of a step function:
# runs functions' EmulatorPipelineTest (Pub/Sub + Firestore emulators, fake GCS; functions hosted
# by the Functions Framework invoker's handler on 127.0.0.1) and prints its BENCH lines:
#  - in-process: init + first ping per function in the test JVM, warm ping over HTTP, and the
#    ledger's notePing (the ping record's Firestore emulator write) timed alone;
#  - fresh JVM: JVMS (default 3) new processes hosting StepFunction (the loudness step), each timed from process
#    start to port open and to first ping answered; the last one also times the warm pings.
# PINGS (default 200) sets how many ping envelopes are averaged.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl functions -am test -Dmaven.install.skip=true -Dtest=EmulatorPipelineTest \
  -Dsurefire.failIfNoSpecifiedTests=false -Dwavegraph.bench.pings="${PINGS:-200}" -Dwavegraph.bench.jvms="${JVMS:-3}" 2>&1 | grep -E '^(BENCH|SKIPPED)'
