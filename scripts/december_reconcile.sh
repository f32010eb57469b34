#!/usr/bin/env bash
# december_reconcile.sh DATABASE_URL OBSERVED LECTURE_ID EXAM_ID — the end of
# scripts/december.sh: checks in SQL that what the simulated learners were told (OBSERVED,
# written by the goose tool: "completed <username>", "submitted <attempt> <passed>",
# "abandoned <attempt>") is what the database holds, and that nothing is graded, completed or
# credited twice. Prints each check with its count of violations; exit 1 if any is not 0.
set -euo pipefail
DATABASE_URL="$1" OBSERVED="$2" LECTURE="$3" EXAM="$4"
[[ -s "$OBSERVED" ]] || { echo "RECONCILE FAILED: no observations in $OBSERVED" >&2; exit 1; }

SQL="$(mktemp /tmp/reconcile.XXXXXX.sql)"
trap 'rm -f "$SQL"' EXIT
{
    echo "CREATE TEMP TABLE seen_completed (username text);"
    echo "CREATE TEMP TABLE seen_submitted (attempt_id bigint, passed boolean);"
    echo "CREATE TEMP TABLE seen_abandoned (attempt_id bigint);"
    awk '$1 == "completed" { printf "INSERT INTO seen_completed VALUES (%c%s%c);\n", 39, $2, 39 }
         $1 == "submitted" { printf "INSERT INTO seen_submitted VALUES (%d, %s);\n", $2, $3 }
         $1 == "abandoned" { printf "INSERT INTO seen_abandoned VALUES (%d);\n", $2 }' "$OBSERVED"
    cat <<SQL
\\set exam $EXAM
\\set lecture $LECTURE
WITH a AS (SELECT * FROM exam_attempts WHERE exam_id = :exam),
     credited AS (SELECT learner_id, count(*) AS n FROM credits
                  WHERE source_kind = 'course_pass' AND source_id = (SELECT course_id::text FROM exams WHERE id = :exam)
                  GROUP BY learner_id),
     passers AS (SELECT DISTINCT learner_id FROM a WHERE passed),
     done AS (SELECT learner_id, cycle, count(*) AS n FROM lecture_progress
              WHERE lecture_id = :lecture AND completed GROUP BY learner_id, cycle)
SELECT check_name, violations FROM (VALUES
  (1, 'attempts left open past their deadline',
      (SELECT count(*) FROM a WHERE status = 'open' AND deadline < now())),
  (2, 'closed attempts not graded',
      (SELECT count(*) FROM a WHERE status <> 'open' AND (score IS NULL OR passed IS NULL OR graded_at IS NULL))),
  (3, 'submits seen by learners, not stored as shown',
      (SELECT count(*) FROM seen_submitted s LEFT JOIN a ON a.id = s.attempt_id
       WHERE a.id IS NULL OR a.status = 'open' OR a.passed IS DISTINCT FROM s.passed)),
  (4, 'abandoned attempts not expired and graded',
      (SELECT count(*) FROM seen_abandoned s LEFT JOIN a ON a.id = s.attempt_id
       WHERE a.id IS NULL OR a.status <> 'expired' OR a.score IS NULL)),
  (5, 'completions seen, not stored exactly once',
      (SELECT count(*) FROM seen_completed s LEFT JOIN users u ON u.username = s.username
       LEFT JOIN (SELECT learner_id, sum(n) AS n FROM done GROUP BY learner_id) d ON d.learner_id = u.id
       WHERE d.n IS DISTINCT FROM 1)),
  (6, 'duplicate progress rows',
      (SELECT count(*) FROM (SELECT 1 FROM lecture_progress WHERE lecture_id = :lecture
       GROUP BY learner_id, lecture_id, cycle HAVING count(*) > 1) x)),
  (7, 'attempts without a completed lecture',
      (SELECT count(*) FROM a LEFT JOIN done d ON d.learner_id = a.learner_id AND d.cycle = a.cycle
       WHERE d.learner_id IS NULL)),
  (8, 'learners over the attempt limit',
      (SELECT count(*) FROM (SELECT 1 FROM a GROUP BY learner_id, cycle HAVING count(*) > max(max_attempts)) x)),
  (9, 'passers not credited exactly once, or credited without a pass',
      (SELECT count(*) FROM passers p FULL JOIN credited c USING (learner_id)
       WHERE p.learner_id IS NULL OR c.n IS DISTINCT FROM 1))
) AS checks (n, check_name, violations) ORDER BY n;
SELECT (SELECT count(*) FROM seen_completed) AS seen_completed,
       (SELECT count(*) FROM lecture_progress WHERE lecture_id = :lecture AND completed) AS db_completed,
       (SELECT count(*) FROM exam_attempts WHERE exam_id = :exam) AS attempts,
       (SELECT count(*) FROM exam_attempts WHERE exam_id = :exam AND status = 'submitted') AS submitted,
       (SELECT count(*) FROM exam_attempts WHERE exam_id = :exam AND status = 'expired') AS expired,
       (SELECT count(*) FROM exam_attempts WHERE exam_id = :exam AND passed) AS passed,
       (SELECT count(*) FROM credits WHERE source_kind = 'course_pass') AS credits;
SQL
} >"$SQL"

OUT="$(psql -X -q -v ON_ERROR_STOP=1 -F' | ' -A "$DATABASE_URL" -f "$SQL")"
echo
echo "reconciliation against the database"
echo "$OUT" | sed 's/^/  /'
BAD="$(echo "$OUT" | awk -F' \\| ' 'NF == 2 && $2 ~ /^[0-9]+$/ && $2 != 0 { bad++ } END { print bad + 0 }')"
if [[ "$BAD" != 0 ]]; then
    echo "RECONCILE FAILED: $BAD check(s) with violations" >&2
    exit 1
fi
echo "RECONCILED: every check 0"
