"""Knowledge of Spanish and of the domain that every stage shares: text normalisation
(:mod:`~imsskg.lang.text`), the gazetteer of states, cities, institutions, programs, posts and
given names (:mod:`~imsskg.lang.gazetteer`), how posts are normalised to roles
(:mod:`~imsskg.lang.posts`) and the word lists of ``lang/data`` (:mod:`~imsskg.lang.words`)."""
