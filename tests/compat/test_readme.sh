# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# The README's example, run as a reader would: every command of the block
# marked `<!-- doc-test tests/compat/test_readme.sh ... -->` runs on a
# terminal (script(1)) from a directory where bin/ is lop's, and what it
# prints must be exactly the output lines the block shows. Sourced by
# tests/compat/run.sh.
#
# The block's format: a line "$ CMD" is a command (a here-document's lines
# belong to it), every other line is output; an output line's trailing
# "   # remark" (two or more spaces, then "#") is a remark, not output.
# "LLVM 14" in the output stands for the LLVM lop was built against. The
# marker may end with "runs until Ctrl-C: PROG..." naming commands that run
# until interrupted (a fuzzer): those run with no terminal for a few
# seconds, are interrupted with SIGINT, and must then exit 0 and have
# created the directory their "-o DIR" names.

README_MARK='<!-- doc-test tests/compat/test_readme.sh'

# readme_block FILE: prints the lines of the fenced block that follows the
# marker line in FILE (fences excluded); prints nothing without a marker.
readme_block() {
  awk -v mark="$README_MARK" '
    index($0, mark) == 1 { found = 1; next }
    found && !inside && /^```/ { inside = 1; next }
    inside && /^```/ { exit }
    inside { print }' "$1"
}

# readme_until_ctrl_c FILE: the program names the marker says run until
# interrupted, space-separated (empty when it names none).
readme_until_ctrl_c() {
  grep -F "$README_MARK" "$1" | head -n 1 |
    sed -nE 's/.*runs until Ctrl-C: *(.*[^ ]) *-->.*/\1/p'
}

# split_block BLOCKFILE DIR: writes each command of the block to DIR/cmd.N
# (N from 1, here-document lines included) and the expected transcript to
# DIR/expected: each command's lines after "$ ", then its output lines
# without their remarks and trailing blanks.
split_block() {
  awk -v dir="$2" '
    function out(line) { print line > (dir "/expected") }
    heredoc != "" {
      print > (dir "/cmd." n); out($0)
      if ($0 == heredoc) heredoc = ""
      next
    }
    /^\$ / {
      n++
      cmd = substr($0, 3)
      print cmd > (dir "/cmd." n); out("$ " cmd)
      if (match(cmd, /<<-?[\047"]?[A-Za-z_][A-Za-z0-9_]*/)) {
        heredoc = substr(cmd, RSTART, RLENGTH)
        sub(/^<<-?[\047"]?/, "", heredoc)
      }
      next
    }
    { sub(/  +#.*$/, ""); sub(/[ \t]+$/, ""); out($0) }' "$1"
}

# write_runner DIR UNTIL_CTRL_C: writes DIR/runner, a bash script that, for
# each DIR/cmd.N, prints its lines after "$ " and runs it; a command whose
# first word is one of UNTIL_CTRL_C runs without a terminal into
# DIR/fuzz.N.log for a few seconds, then gets SIGINT; its exit status goes
# to DIR/fuzz.N.rc.
write_runner() {
  cat >"$1/runner" <<EOF
dir='$1'
until_ctrl_c=' $2 '
EOF
  cat >>"$1/runner" <<'EOF'
n=1
while [ -f "$dir/cmd.$n" ]; do
  sed '1s/^/$ /' "$dir/cmd.$n"
  first=$(head -n 1 "$dir/cmd.$n" | awk '{ print $1 }')
  if [ -n "$first" ] && [ "${until_ctrl_c#* "$first" }" != "$until_ctrl_c" ]; then
    rc=0
    timeout --preserve-status -s INT 5 bash "$dir/cmd.$n" </dev/null >"$dir/fuzz.$n.log" 2>&1 || rc=$?
    echo "$rc" >"$dir/fuzz.$n.rc"
  else
    . "$dir/cmd.$n"
  fi
  n=$((n + 1))
done
EOF
}

# check_until_ctrl_c DIR: every command run until interrupted exited 0
# and created the directory its "-o" names.
check_until_ctrl_c() {
  local rcfile n outdir
  for rcfile in "$1"/fuzz.*.rc; do
    [ -e "$rcfile" ] || continue
    n=${rcfile%.rc}
    n=${n##*.}
    [ "$(cat "$rcfile")" = 0 ] ||
      fail "'$(head -n 1 "$1/cmd.$n")' exited $(cat "$rcfile"): $(tail -n 5 "$1/fuzz.$n.log")"
    outdir=$(sed -nE 's/.* -o +([^ ]+).*/\1/p' "$1/cmd.$n" | head -n 1)
    [ -z "$outdir" ] || [ -d "$outdir" ] ||
      fail "'$(head -n 1 "$1/cmd.$n")' did not create $outdir: $(tail -n 5 "$1/fuzz.$n.log")"
  done
}

# run_readme_example README: runs README's marked block in the current
# directory (bin/ linked to lop's) and fails on any difference.
run_readme_example() {
  local readme=$1 major
  command -v script >/dev/null || t_skip "script(1) not installed (bsdutils)"
  mkdir doc
  readme_block "$readme" >doc/block
  [ -s doc/block ] || fail "no block after a '$README_MARK' line in $readme"
  split_block doc/block "$T/doc"
  [ -f doc/cmd.1 ] || fail "the marked block has no '\$ ' command"
  write_runner "$T/doc" "$(readme_until_ctrl_c "$readme")"
  major=$("${LLVM_CONFIG:-llvm-config}" --version | cut -d. -f1)
  sed "s/LLVM 14\\b/LLVM $major/g" doc/expected >doc/want
  ln -s "$LOP_ROOT/bin" bin
  # A reader's shell has no AFL_* variables set; the three kept say how
  # this machine is shared (no free core to bind, crash reports, CPU
  # governor), which afl-fuzz checks before it fuzzes.
  env $(env | sed -n 's/^\(AFL_[A-Za-z0-9_]*\)=.*/-u \1/p') \
    AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 \
    script -qec "bash '$T/doc/runner'" /dev/null </dev/null | tr -d '\r' >doc/got
  diff -u doc/want doc/got >doc/diff ||
    fail "$readme's example prints something else (- README, + real):
$(cat doc/diff)"
  check_until_ctrl_c "$T/doc"
}

test_readme_example_prints_what_readme_shows() {
  need_afl
  run_readme_example "$LOP_ROOT/README.md"
}
