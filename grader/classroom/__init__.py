"""Everything a class needs: releases, finding and grading submissions in bulk,
the gradebook, exports, nbgrader and Dask.

A learner working alone never imports this package; the trust boundary that
runs learner code is `grader.sandbox`.
"""
