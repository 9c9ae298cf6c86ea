#!/usr/bin/env bash
# Deploys a graph: packages the step functions, compiles the graph, and applies the Terraform.
#   scripts/deploy.sh GRAPH [--out DIR] [--source-bucket BUCKET] [-- TERRAFORM_APPLY_ARGS...]
# Needs gcloud (authenticated: gcloud auth login && gcloud auth application-default login),
# terraform >= 1.5, Java 17 and Maven. The source bucket (default <project>-wavegraph-sources) holds
# the functions' archive, named by its content hash so an unchanged archive does not redeploy.
set -euo pipefail
usage() { echo "usage: $0 GRAPH [--out DIR] [--source-bucket BUCKET] [-- TERRAFORM_APPLY_ARGS...]" >&2; exit 2; }
[[ $# -ge 1 ]] || usage
graph=$1; shift
root=$(cd "$(dirname "$0")/.." && pwd)
name=$(sed -n 's/^name:[[:space:]]*\([a-z0-9-]*\).*/\1/p' "$graph" | head -1)
project=$(sed -n 's/^[[:space:]]*project:[[:space:]]*\([a-z0-9-]*\).*/\1/p' "$graph" | head -1)
region=$(sed -n 's/^[[:space:]]*region:[[:space:]]*\([a-z0-9-]*\).*/\1/p' "$graph" | head -1)
[[ -n $name && -n $project && -n $region ]] || { echo "deploy: $graph needs name, gcp.project and gcp.region" >&2; exit 2; }
out="build/deploy/$name"
bucket="$project-wavegraph-sources"
while [[ $# -gt 0 ]]; do
  case $1 in
    --out) out=$2; shift 2 ;;
    --source-bucket) bucket=$2; shift 2 ;;
    --) shift; break ;;
    *) usage ;;
  esac
done

echo "== 1/4 package the functions"
(cd "$root" && mvn -B -q -DskipTests -pl functions -am package)
# functions/pom.xml writes one archive, target/wavegraph-functions-<sha256-12 of the shaded jar>.zip:
# reproducible (fixed entry times), so an unchanged tree keeps its name and does not redeploy.
archives=("$root"/functions/target/wavegraph-functions-*.zip)
[[ -f ${archives[0]} && ${#archives[@]} -eq 1 ]] \
  || { echo "deploy: expected one functions/target/wavegraph-functions-<hash>.zip, found: ${archives[*]}" >&2; exit 1; }
archive=${archives[0]}
object="functions/$(basename "$archive")"

echo "== 2/4 upload gs://$bucket/$object"
gcloud storage buckets describe "gs://$bucket" --project "$project" >/dev/null 2>&1 \
  || gcloud storage buckets create "gs://$bucket" --project "$project" --location "$region" \
       --uniform-bucket-level-access --public-access-prevention
gcloud storage cp --no-clobber "$archive" "gs://$bucket/$object"

echo "== 3/4 compile $graph into $out"
"$root/scripts/wavegraph" compile "$graph" --out "$out"

echo "== 4/4 terraform apply"
terraform -chdir="$out/terraform" init -input=false
terraform -chdir="$out/terraform" apply -input=false \
  -var "function_source_bucket=$bucket" -var "function_source_object=$object" "$@"
