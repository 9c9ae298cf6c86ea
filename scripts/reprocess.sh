#!/usr/bin/env bash
# Reprocesses items at a step through the graph's <graph>-reprocess workflow, and waits for it.
#   scripts/reprocess.sh GRAPH STEP ITEM... [--force] [--ping] [--prefix PREFIX]
# Items are ids (the input object name without its extension, e.g. tracks/ab12). With --prefix,
# every input object under PREFIX is reprocessed instead of the listed items.
set -euo pipefail
usage() { echo "usage: $0 GRAPH STEP [ITEM...] [--force] [--ping] [--prefix PREFIX]" >&2; exit 2; }
[[ $# -ge 2 ]] || usage
graph=$1 step=$2; shift 2
force=false ping=false prefix=""
items=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --force) force=true; shift ;;
    --ping) ping=true; shift ;;
    --prefix) prefix=$2; shift 2 ;;
    -*) usage ;;
    *) items+=("$1"); shift ;;
  esac
done
[[ ${#items[@]} -gt 0 || -n $prefix ]] || usage
name=$(sed -n 's/^name:[[:space:]]*\([a-z0-9-]*\).*/\1/p' "$graph" | head -1)
project=$(sed -n 's/^[[:space:]]*project:[[:space:]]*\([a-z0-9-]*\).*/\1/p' "$graph" | head -1)
region=$(sed -n 's/^[[:space:]]*region:[[:space:]]*\([a-z0-9-]*\).*/\1/p' "$graph" | head -1)
json_items=$(printf '%s\n' "${items[@]}" | python3 -c 'import json,sys; print(json.dumps([l.rstrip("\n") for l in sys.stdin if l.strip()]))')
if [[ -n $prefix ]]; then
  data=$(printf '{"step":"%s","prefix":%s,"force":%s,"ping":%s}' "$step" "$(python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$prefix")" "$force" "$ping")
else
  data=$(printf '{"step":"%s","items":%s,"force":%s,"ping":%s}' "$step" "$json_items" "$force" "$ping")
fi
exec gcloud workflows run "$name-reprocess" --project "$project" --location "$region" --data "$data"
