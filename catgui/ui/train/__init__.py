"""The Train tab and its parts: data set, hyper-parameters, run, cost plot."""
