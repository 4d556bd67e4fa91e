"""Comparing constitutions: clause alignment (:func:`compare.align.align`), similar provisions
(:func:`compare.similar.similar`), the corpus similarity matrix (:func:`compare.matrix.similarity_matrix`),
word-level diffs (:func:`compare.diff.diff`) and Constitute topics (:mod:`compare.topics`).

Submodules are imported on use, so ``import compare.diff`` stays light."""
