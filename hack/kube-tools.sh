#!/usr/bin/env bash
# Builds the real Kubernetes tools the integration tests run (kube-apiserver, kube-controller-manager,
# kubectl, etcd, helm) from the Go module proxy, once, into a directory outside the work tree.
# Already-built tools of the pinned version are kept; a cold build takes about 15 minutes on 2 cores.
#
#   hack/kube-tools.sh            build what is missing, then print the bin directory
#   KUBE_TOOLS_DIR=/some/dir ...  build there instead of ~/.cache/spacecrab/kube-tools
set -euo pipefail

KUBERNETES_VERSION=v1.35.4
ETCD_VERSION=v3.6.5
HELM_VERSION=v3.22.0

TOOLS_DIR=${KUBE_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/spacecrab/kube-tools}
BIN=$TOOLS_DIR/bin
export CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-mod=mod
mkdir -p "$BIN"

say() { printf '[kube-tools %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# Runs a command while printing a line every 30 s, so a long build is visibly alive.
with_progress() {
  local what=$1; shift
  local started=$SECONDS
  ( while sleep 30; do say "$what: still building ($((SECONDS - started)) s)"; done ) &
  local ticker=$!
  local rc=0
  "$@" || rc=$?
  kill "$ticker" 2>/dev/null; wait "$ticker" 2>/dev/null || true
  [ "$rc" -eq 0 ] && say "$what: built in $((SECONDS - started)) s" || say "$what: FAILED after $((SECONDS - started)) s"
  return "$rc"
}

# True when every named binary of the version exists.
have() {
  local dir=$1; shift
  for tool in "$@"; do [ -x "$dir/$tool" ] || return 1; done
}

link() { # link <versioned dir> <tool...>: point bin/<tool> at the pinned build
  local dir=$1; shift
  for tool in "$@"; do ln -sfn "$dir/$tool" "$BIN/$tool"; done
}

build_kubernetes() {
  local out=$TOOLS_DIR/kubernetes-$KUBERNETES_VERSION
  local tools=(kube-apiserver kube-controller-manager kubectl)
  if have "$out" "${tools[@]}"; then link "$out" "${tools[@]}"; return; fi
  say "building kube-apiserver, kube-controller-manager and kubectl $KUBERNETES_VERSION (cold: 10-16 min on 2 cores)"
  local src=$TOOLS_DIR/src/kubernetes-$KUBERNETES_VERSION
  rm -rf "$src"; mkdir -p "$src" "$out"
  # k8s.io/kubernetes replaces its staging modules with ./staging/src/...; a module of our own requires it
  # and replaces each staging module with its published v0.Y.Z instead.
  local staging_version=v0.${KUBERNETES_VERSION#v1.}
  local gomod
  gomod=$(cd "$src" && go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | sed -n 's/.*"GoMod": "\(.*\)",*/\1/p')
  {
    echo "module spacecrab.io/kube-tools"
    echo
    echo "go 1.25.0"
    echo
    echo "require k8s.io/kubernetes $KUBERNETES_VERSION"
    echo
    grep -E '^\s*k8s\.io/[a-z0-9-]+ => \./staging/' "$gomod" \
      | awk -v v="$staging_version" '{print "replace " $1 " => " $1 " " v}'
  } > "$src/go.mod"
  cat > "$src/tools.go" <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
GO
  local minor=${KUBERNETES_VERSION#v1.}; minor=${minor%%.*}
  local ldflags="-s -w"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=$KUBERNETES_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  (cd "$src" && with_progress "kubernetes go.mod" sh -c 'go mod tidy -e > tidy.log 2>&1 || { tail -20 tidy.log; exit 1; }' \
     && with_progress "kubernetes $KUBERNETES_VERSION" go build -trimpath -tags tools -ldflags "$ldflags" -o "$out/" \
        k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kubectl)
  link "$out" "${tools[@]}"
}

build_etcd() {
  local out=$TOOLS_DIR/etcd-$ETCD_VERSION
  if have "$out" etcd; then link "$out" etcd; return; fi
  say "building etcd $ETCD_VERSION (cold: about 1 min)"
  local src=$TOOLS_DIR/src/etcd-$ETCD_VERSION
  rm -rf "$src"; mkdir -p "$src" "$out"
  cat > "$src/go.mod" <<GOMOD
module spacecrab.io/etcd

go 1.25.0

require go.etcd.io/etcd/server/v3 $ETCD_VERSION
GOMOD
  cat > "$src/main.go" <<'GO'
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
  (cd "$src" && with_progress "etcd go.mod" sh -c 'go mod tidy > tidy.log 2>&1 || { tail -20 tidy.log; exit 1; }' \
     && with_progress "etcd $ETCD_VERSION" go build -trimpath -ldflags "-s -w" -o "$out/etcd" .)
  link "$out" etcd
}

build_helm() {
  local out=$TOOLS_DIR/helm-$HELM_VERSION
  if have "$out" helm; then link "$out" helm; return; fi
  say "building helm $HELM_VERSION (cold: about 2-3 min)"
  mkdir -p "$out"
  # as helm's own Makefile does: the Kubernetes version helm assumes offline (helm template, lint) is that
  # of the client-go it is built with (v0.37 for helm v3.22), not the v1.20 of a plain go install
  local ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
  ldflags+=" -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
  for pkg in helm.sh/helm/v3/pkg/lint/rules helm.sh/helm/v3/pkg/chartutil; do
    ldflags+=" -X $pkg.k8sVersionMajor=1 -X $pkg.k8sVersionMinor=37"
  done
  with_progress "helm $HELM_VERSION" env GOBIN="$out" go install -trimpath -ldflags "$ldflags" \
    "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
  link "$out" helm
}

command -v go >/dev/null || { say "the go command is needed to build the Kubernetes tools"; exit 1; }
build_etcd
build_helm
build_kubernetes
say "ready in $BIN: kube-apiserver, kube-controller-manager, kubectl $KUBERNETES_VERSION; etcd $ETCD_VERSION; helm $HELM_VERSION"
echo "$BIN"
