"""RQ job functions, the worker and the periodic scheduler: thin, they call app/."""
