# The two commands of the README's quick start. Each first installs the system packages
# Winnow builds against if any is missing (scripts/setup.sh: apt-get as root, otherwise it
# prints the exact command to run).
.PHONY: quickstart test setup release

quickstart: setup
	swift run -c release winnow run pipelines/quickstart.yaml

test: setup
	swift test

setup:
	@scripts/setup.sh

release: setup
	swift build -c release
