#!/usr/bin/env bash
# Deploys a graph: packages the step functions, compiles the graph, creates the project's APIs and
# image repository, builds and pushes the batch job images, and applies the Terraform.
#   scripts/deploy.sh GRAPH [--out DIR] [--source-bucket BUCKET] [--state-bucket BUCKET]
#                     [--local-state] [--job-image IMAGE] [-- TERRAFORM_APPLY_ARGS...]
# Needs gcloud (authenticated: gcloud auth login && gcloud auth application-default login),
# terraform >= 1.5, Java 17 and Maven.
# - The source bucket (default <project>-wavegraph-sources) holds the functions' archive, named by
#   its content hash so an unchanged archive does not redeploy.
# - The state bucket (--state-bucket, else $WAVEGRAPH_STATE_BUCKET, else <project>-wavegraph-state)
#   holds Terraform's state under wavegraph/<graph> (the compiled backend "gcs"); both buckets are
#   created when missing. --local-state keeps the state in OUT/terraform instead.
# - Job images go to the graph's Artifact Registry repository, which Terraform creates first
#   (apply -target=module.platform): <region>-docker.pkg.dev/<project>/<graph>-images. A 'class' job
#   without an 'image' runs the Wavegraph job image, pushed there as wavegraph-job:<archive hash>
#   unless --job-image names another.
# The graph is read with the project's own parser (`wavegraph validate GRAPH --print-deploy-env`).
#
# DEPLOY_DRY_RUN=1 prints the commands that would touch the cloud or build (mvn, gcloud, terraform
# init and apply) instead of running them; the compile still runs, with --check: the same offline
# check as `wavegraph compile --check`, on the real compiled output: real terraform init
# -backend=false, validate and plan against the stand-in google provider (tools/terraform-provider,
# built by `mvn -pl tools/terraform-provider -am test-compile`), and the workflows' syntax. A failed
# check fails the dry run.
# WAVEGRAPH names the wavegraph command to compile with (default scripts/wavegraph).
set -euo pipefail
usage() {
  echo "usage: $0 GRAPH [--out DIR] [--source-bucket BUCKET] [--state-bucket BUCKET] [--local-state] [--job-image IMAGE] [-- TERRAFORM_APPLY_ARGS...]" >&2
  exit 2
}
[[ $# -ge 1 ]] || usage
graph=$1; shift
root=$(cd "$(dirname "$0")/.." && pwd)
wavegraph=${WAVEGRAPH:-$root/scripts/wavegraph}
dry=${DEPLOY_DRY_RUN:-}
# compile --check finds the stand-in google provider here, whatever the current folder.
export WAVEGRAPH_TERRAFORM_PROVIDER=${WAVEGRAPH_TERRAFORM_PROVIDER:-$root/tools/terraform-provider}

# WAVEGRAPH_NAME, _PROJECT, _REGION, _IMAGE_REPOSITORY, _STEP_IMAGES, _USES_JOB_IMAGE.
deploy_env=$("$wavegraph" validate "$graph" --print-deploy-env) || { echo "deploy: $graph cannot be deployed (see above)" >&2; exit 2; }
eval "$deploy_env"
project=$WAVEGRAPH_PROJECT
region=$WAVEGRAPH_REGION
out="build/deploy/$WAVEGRAPH_NAME"
bucket="$project-wavegraph-sources"
state_bucket=${WAVEGRAPH_STATE_BUCKET:-$project-wavegraph-state}
local_state=
job_image=
while [[ $# -gt 0 ]]; do
  case $1 in
    --out) out=$2; shift 2 ;;
    --source-bucket) bucket=$2; shift 2 ;;
    --state-bucket) state_bucket=$2; shift 2 ;;
    --local-state) local_state=1; shift ;;
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

# Creates a private bucket unless it exists (a dry run prints the creation).
ensure_bucket() {
  if [[ -n $dry ]] || ! gcloud storage buckets describe "gs://$1" --project "$project" >/dev/null 2>&1; then
    run gcloud storage buckets create "gs://$1" --project "$project" --location "$region" \
      --uniform-bucket-level-access --public-access-prevention
  fi
}

echo "== 1/6 package the functions"
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
hash=$(basename "$archive" .zip); hash=${hash#wavegraph-functions-}

echo "== 2/6 upload gs://$bucket/$object"
ensure_bucket "$bucket"
run gcloud storage cp --no-clobber "$archive" "gs://$bucket/$object"

echo "== 3/6 compile $graph into $out"
compile_args=(compile "$graph" --out "$out")
[[ -z $local_state ]] || compile_args+=(--local-state)
# A dry run checks what it compiled, offline, as `wavegraph compile --check` does.
[[ -z $dry ]] || compile_args+=(--check)
"$wavegraph" "${compile_args[@]}"

tf_vars=(-var "function_source_bucket=$bucket" -var "function_source_object=$object")
if [[ $WAVEGRAPH_USES_JOB_IMAGE == 1 ]]; then
  job_image=${job_image:-$WAVEGRAPH_IMAGE_REPOSITORY/wavegraph-job:$hash}
  tf_vars+=(-var "job_image=$job_image")
fi

echo "== 4/6 terraform init; APIs, build account and image repository first"
if [[ -n $local_state ]]; then
  run terraform -chdir="$out/terraform" init -input=false
else
  ensure_bucket "$state_bucket"
  run terraform -chdir="$out/terraform" init -input=false "-backend-config=bucket=$state_bucket"
fi
run terraform -chdir="$out/terraform" apply -input=false -target=module.platform "${tf_vars[@]}" "$@"

echo "== 5/6 build and push the batch job images"
# Each job step's own image, and the Wavegraph job image when a 'class' job has none, each built
# once. Jib builds it from the functions module without a Docker daemon (main class
# io.wavegraph.functions.BatchJobMain, see functions/pom.xml) and pushes it with the gcloud
# credential helper: run `gcloud auth configure-docker <region>-docker.pkg.dev` once. Without Maven
# here, the same image comes from Cloud Build: see docs/batch-steps.md.
images=()
for image in $WAVEGRAPH_STEP_IMAGES ${job_image:+"$job_image"}; do
  [[ " ${images[*]-} " == *" $image "* ]] || images+=("$image")
done
if [[ ${#images[@]} -eq 0 ]]; then echo "no job steps"; fi
for image in "${images[@]+"${images[@]}"}"; do
  # -Dimage turns on functions' job-image profile: jib:build in that module only, after packaging.
  run mvn -B -q -f "$root/pom.xml" -pl functions -am -DskipTests package "-Dimage=$image"
done

echo "== 6/6 terraform apply"
run terraform -chdir="$out/terraform" apply -input=false "${tf_vars[@]}" "$@"
