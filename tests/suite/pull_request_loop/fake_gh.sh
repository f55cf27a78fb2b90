#!/usr/bin/env bash
# A stand-in for the GitHub CLI (`gh api` only) against one repository and pull request: keeps
# the pull request's comments, labels and review requests in a folder and records every call.
# Like GitHub, it refuses to request a team's review, or to list a team's members, with the
# workflow's own token. Lists are printed a page of two at a time, as `gh api --paginate` does.
set -euo pipefail
state=@STATE@
repository=@REPOSITORY@
pr=@PR@
workflow_token=@WORKFLOW_TOKEN@

printf '%s\t%s\n' "${GH_TOKEN:-}" "$*" >>"$state/calls"
if [ -z "${GH_TOKEN:-}" ]; then
  echo "gh: To use GitHub CLI in a GitHub Actions workflow, set the GH_TOKEN environment variable." >&2
  exit 4
fi
[ "${1:-}" = api ] || { echo "fake gh: only \`gh api\` is faked, not \`gh $*\`" >&2; exit 2; }
shift

method= endpoint= filter= fields=()
while [ $# -gt 0 ]; do
  case $1 in
    --method | -X) method=$2; shift 2 ;;
    --paginate) shift ;;
    --jq | -q) filter=$2; shift 2 ;;
    -f | --raw-field) fields+=("raw:$2"); shift 2 ;;
    -F | --field) fields+=("typed:$2"); shift 2 ;;
    -*) echo "fake gh: unknown flag $1" >&2; exit 2 ;;
    *) [ -z "$endpoint" ] || { echo "fake gh: a second endpoint $1" >&2; exit 2; }; endpoint=$1; shift ;;
  esac
done
# As gh does: with fields and no method, the request is a POST.
if [ -z "$method" ]; then
  if [ ${#fields[@]} -gt 0 ]; then method=POST; else method=GET; fi
fi

# The values of the fields named $1, one a line; `-F name=@file` reads the file, as gh does.
values() {
  for field in "${fields[@]}"; do
    local kind=${field%%:*} pair=${field#*:}
    [ "${pair%%=*}" = "$1" ] || continue
    local value=${pair#*=}
    if [ "$kind" = typed ] && [[ $value == @* ]]; then cat "${value#@}"; else printf '%s\n' "$value"; fi
  done
}

# A JSON array as `--paginate` prints it: one array per page.
paginated() {
  jq -c '. as $all | if length == 0 then [] else range(0; length; 2) | $all[.:. + 2] end' "$1"
}

comments=$state/comments
case "$method $endpoint" in
  "GET repos/$repository/issues/$pr/comments")
    json=$(
      for id in $(find "$comments" -name '*.body' -printf '%f\n' | sed 's/\.body$//' | sort -n); do
        jq -n --argjson id "$id" --rawfile body "$comments/$id.body" --arg login "$(cat "$comments/$id.login")" \
          '{id: $id, body: $body, user: {login: $login}}'
      done | jq -s .
    )
    if [ -n "$filter" ]; then jq -r "$filter" <<<"$json"; else printf '%s\n' "$json"; fi
    ;;
  "POST repos/$repository/issues/$pr/comments")
    id=$(cat "$state/next-id")
    echo $((id + 1)) >"$state/next-id"
    values body >"$comments/$id.body"
    echo 'github-actions[bot]' >"$comments/$id.login"
    echo "{\"id\": $id}"
    ;;
  "PATCH repos/$repository/issues/comments/"*)
    id=${endpoint##*/}
    [ -f "$comments/$id.body" ] || { echo "gh: Not Found (HTTP 404)" >&2; exit 1; }
    values body >"$comments/$id.body"
    echo "{\"id\": $id}"
    ;;
  "DELETE repos/$repository/issues/comments/"*)
    id=${endpoint##*/}
    [ -f "$comments/$id.body" ] || { echo "gh: Not Found (HTTP 404)" >&2; exit 1; }
    rm "$comments/$id.body" "$comments/$id.login"
    ;;
  "POST repos/$repository/issues/$pr/labels")
    values 'labels[]' >>"$state/labels"
    ;;
  "POST repos/$repository/pulls/$pr/requested_reviewers")
    teams=$(values 'team_reviewers[]')
    if [ -n "$teams" ] && [ "$GH_TOKEN" = "$workflow_token" ]; then
      echo "gh: Validation Failed: Could not resolve to a node with the global id (HTTP 422)" >&2
      exit 1
    fi
    values 'reviewers[]' >>"$state/reviewers"
    values 'team_reviewers[]' >>"$state/team_reviewers"
    ;;
  "GET repos/$repository/pulls/$pr/reviews")
    [ -f "$state/reviews.json" ] || echo '[]' >"$state/reviews.json"
    paginated "$state/reviews.json"
    ;;
  "GET orgs/"*/teams/*/members)
    rest=${endpoint#orgs/}
    org=${rest%%/*} slug=${rest#*/teams/}
    file=$state/teams/$org/${slug%/members}.json
    if [ "$GH_TOKEN" = "$workflow_token" ] || [ ! -f "$file" ]; then
      echo "gh: Not Found (HTTP 404)" >&2
      exit 1
    fi
    paginated "$file"
    ;;
  *)
    echo "fake gh: GitHub has no $method $endpoint here" >&2
    exit 1
    ;;
esac
