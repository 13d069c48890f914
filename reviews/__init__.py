"""One Django app (label `reviews`, one migrations folder) in three parts, each with its
own urls.py, templates folder and tests folder, each importing only the parts below it:

- `reviews.council`: 事前一括承認基準, reports (URLs `council:`), 諮問, 答申. Imports no part.
- `reviews.workflow`: states, transitions, the reviewed-record base, the steps and the
  record pages each record type routes to. Imports the council (an approval's basis).
- `reviews.committee`: the internal committee (URLs `committee:`). Imports the workflow.

What Django finds per app stays here: models.py and admin.py (they import the parts),
the template tags, the loadseed command (the whole seed), and figures.py (the drawing
hook all three parts read; it imports none of them)."""
