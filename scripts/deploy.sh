#!/usr/bin/env bash
# Deploys a graph: packages the step functions, compiles the graph, builds and pushes the batch
# job images, and applies the Terraform.
#   scripts/deploy.sh GRAPH [--out DIR] [--source-bucket BUCKET] [--job-image IMAGE] [-- TERRAFORM_APPLY_ARGS...]
# Needs gcloud (authenticated: gcloud auth login && gcloud auth application-default login),
# terraform >= 1.5, Java 17 and Maven. The source bucket (default <project>-wavegraph-sources) holds
# the functions' archive, named by its content hash so an unchanged archive does not redeploy.
# --job-image names the Wavegraph job image for job steps given by 'class' without an 'image'
# (default <region>-docker.pkg.dev/<project>/wavegraph/wavegraph-job:latest).
#
# DEPLOY_DRY_RUN=1 prints the commands that would touch the cloud or build (mvn, gcloud,
# terraform) instead of running them; the compile still runs (it only writes under --out).
# WAVEGRAPH names the wavegraph command to compile with (default scripts/wavegraph).
set -euo pipefail
usage() { echo "usage: $0 GRAPH [--out DIR] [--source-bucket BUCKET] [--job-image IMAGE] [-- TERRAFORM_APPLY_ARGS...]" >&2; exit 2; }
[[ $# -ge 1 ]] || usage
graph=$1; shift
root=$(cd "$(dirname "$0")/.." && pwd)
wavegraph=${WAVEGRAPH:-$root/scripts/wavegraph}
dry=${DEPLOY_DRY_RUN:-}
name=$(sed -n 's/^name:[[:space:]]*\([a-z0-9-]*\).*/\1/p' "$graph" | head -1)
project=$(sed -n 's/^[[:space:]]*project:[[:space:]]*\([a-z0-9-]*\).*/\1/p' "$graph" | head -1)
region=$(sed -n 's/^[[:space:]]*region:[[:space:]]*\([a-z0-9-]*\).*/\1/p' "$graph" | head -1)
[[ -n $name && -n $project && -n $region ]] || { echo "deploy: $graph needs name, gcp.project and gcp.region" >&2; exit 2; }
out="build/deploy/$name"
bucket="$project-wavegraph-sources"
job_image="$region-docker.pkg.dev/$project/wavegraph/wavegraph-job:latest"
while [[ $# -gt 0 ]]; do
  case $1 in
    --out) out=$2; shift 2 ;;
    --source-bucket) bucket=$2; shift 2 ;;
    --job-image) job_image=$2; shift 2 ;;
    --) shift; break ;;
    *) usage ;;
  esac
done

# Runs a command, or in a dry run prints it (shell-quoted, after "+ ").
run() {
  if [[ -n $dry ]]; then
    printf '+'; printf ' %q' "$@"; printf '\n'
  else
    "$@"
  fi
}

echo "== 1/5 package the functions"
run mvn -B -q -f "$root/pom.xml" -DskipTests -pl functions -am package
# functions/pom.xml writes one archive, target/wavegraph-functions-<sha256-12 of the shaded jar>.zip:
# reproducible (fixed entry times), so an unchanged tree keeps its name and does not redeploy.
if [[ -n $dry ]]; then
  archive="$root/functions/target/wavegraph-functions-HASH.zip"
else
  archives=("$root"/functions/target/wavegraph-functions-*.zip)
  [[ -f ${archives[0]} && ${#archives[@]} -eq 1 ]] \
    || { echo "deploy: expected one functions/target/wavegraph-functions-<hash>.zip, found: ${archives[*]}" >&2; exit 1; }
  archive=${archives[0]}
fi
object="functions/$(basename "$archive")"

echo "== 2/5 upload gs://$bucket/$object"
if [[ -n $dry ]] || ! gcloud storage buckets describe "gs://$bucket" --project "$project" >/dev/null 2>&1; then
  run gcloud storage buckets create "gs://$bucket" --project "$project" --location "$region" \
    --uniform-bucket-level-access --public-access-prevention
fi
run gcloud storage cp --no-clobber "$archive" "gs://$bucket/$object"

echo "== 3/5 compile $graph into $out"
"$wavegraph" compile "$graph" --out "$out"

echo "== 4/5 build and push the batch job images"
# Every job step's image (functions/<step>.json: "kind": "job", job.image; null means the Wavegraph
# job image, --job-image), each built once. Jib builds it from the functions module without a
# Docker daemon (main class io.wavegraph.functions.BatchJobMain, see functions/pom.xml) and pushes
# it to Artifact Registry with the gcloud credential helper: run
# `gcloud auth configure-docker <region>-docker.pkg.dev` once. Without Maven here, the same image
# comes from Cloud Build: see docs/batch-steps.md (scripts/cloudbuild-job-image.yaml).
images=()
uses_job_image=
for config in "$out"/functions/*.json; do
  grep -q '"kind": "job"' "$config" || continue
  image=$(sed -n 's/^[[:space:]]*"image": "\([^"]*\)".*/\1/p' "$config" | head -1)
  if [[ -z $image ]]; then image=$job_image; uses_job_image=1; fi
  [[ " ${images[*]-} " == *" $image "* ]] || images+=("$image")
done
if [[ ${#images[@]} -eq 0 ]]; then echo "no job steps"; fi
for image in "${images[@]+"${images[@]}"}"; do
  # -Dimage turns on functions' job-image profile: jib:build in that module only, after packaging.
  run mvn -B -q -f "$root/pom.xml" -pl functions -am -DskipTests package "-Dimage=$image"
done

echo "== 5/5 terraform apply"
tf_vars=(-var "function_source_bucket=$bucket" -var "function_source_object=$object")
[[ -z $uses_job_image ]] || tf_vars+=(-var "job_image=$job_image")
run terraform -chdir="$out/terraform" init -input=false
run terraform -chdir="$out/terraform" apply -input=false "${tf_vars[@]}" "$@"
