# Sourced by bench/same_documents.sh and bench/same_reports.sh: the byte
# comparison of two records and the run/compare/both dispatch they share.
# The sourcing script defines
#   run BINARY OUTDIR   record BINARY's output in OUTDIR
#   counted DIR         what a record holds, in words ("12 runs")
# and ends with `same_main LINES "$@"`, LINES the sed range of its own
# header comment that usage prints.

compare() { # DIR_A DIR_B
  if diff -r "$1" "$2" >/dev/null; then
    echo "identical: $(counted "$1")"
  else
    diff -rq "$1" "$2"
    return 1
  fi
}

same_main() { # LINES COMMAND ARGS...
  local lines=$1 tmp rc
  shift
  case "${1:-}" in
  run) run "$2" "$3" ;;
  compare) compare "$2" "$3" ;;
  both)
    tmp=$(mktemp -d)
    run "$2" "$tmp/a" >/dev/null && run "$3" "$tmp/b" >/dev/null
    compare "$tmp/a" "$tmp/b"; rc=$?
    # A difference keeps both records for reading.
    [ $rc -eq 0 ] && rm -rf "$tmp" || echo "records kept in $tmp"
    return $rc ;;
  *)
    sed -n "$lines" "$0"; return 2 ;;
  esac
}
