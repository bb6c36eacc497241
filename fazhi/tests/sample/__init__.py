"""A test-only domain app (installed by ``fazhi.settings_test`` only): the smallest complete
domain, kept in this one folder, that proves a domain needs no edit below it.

It brings a public procedure (``sample_case``), its limits, an indicator, a consistency check,
its public form and its nav entry; ``test_end_to_end.py`` submits it on the portal, handles it
in the workbench queue and counts it on the dashboard. Other helpers extend it (clocks, links,
indicator sources): add to these files, keep it small.
"""
