def pytest_addoption(parser):
    parser.addoption("--update-expected", action="store_true",
                     help="Rewrite fixtures/*/expected.txt from what the rules find now (review the diff!).")
