# The commands the README names. Everything they need is installed here, on first use.
SHELL := /bin/bash
VENV := .venv
PYTHON ?= python3
MVN := mvn -B -q
JAR := operator/target/spacecrab.jar
TEST_CP := operator/target/test-classpath.txt

.PHONY: test demo bench bench-rollout build crds docs clean

## test: set up the Python virtualenvs (moto, cfn-lint, principalmapper...; checkov in .venv/checkov), build the Kubernetes tools once (hack/kube-tools.sh, cached in
## ~/.cache/spacecrab/kube-tools; KUBE_TOOLS_DIR overrides), then run every test: unit and mock-server tests
## (*Test, surefire), then the real-API-server, kubectl and helm tests (*IT, failsafe) against the packaged jar
test: $(VENV)/.installed
	@KUBE_TOOLS_BIN=$$(hack/kube-tools.sh) && export KUBE_TOOLS_BIN && mvn -B verify

## demo: the operator against an in-process Kubernetes API and the moto AWS emulator
demo: $(VENV)/.installed $(TEST_CP)
	@java -DLOG_LEVEL=WARN -cp operator/target/classes:operator/target/test-classes:$$(cat $(TEST_CP)) \
	  io.spacecrab.demo.DemoMain

## bench: detector parse speed, end-to-end alert latency, and the ClusterHoneyToken rollout (RolloutBench:
## 2,000-namespace rollout under the IAM budget, operator heap with 10,000 tokens, IAM calls after a restart;
## about 30-35 min on 2 cores). Figures in docs/benchmarks.md.
bench: $(VENV)/.installed $(TEST_CP)
	@java -Xms1g -Xmx1g -cp operator/target/classes:operator/target/test-classes:$$(cat $(TEST_CP)) \
	  io.spacecrab.detect.ParseBench
	@java -DLOG_LEVEL=WARN -cp operator/target/classes:operator/target/test-classes:$$(cat $(TEST_CP)) \
	  io.spacecrab.detect.LatencyBench 200
	@$(MAKE) --no-print-directory bench-rollout

## bench-rollout: only RolloutBench. ROLLOUT_ARGS passes arguments, e.g. a quick check:
##   make bench-rollout ROLLOUT_ARGS="namespaces=200 rate=20 tokens=1000 unrelated=2000 window=60"
## Arguments starting with -- go to the operator processes as flags. The mock API server and moto
## hold everything in this JVM's memory: hence -Xmx4g (the operator runs in its own JVM, -Xmx512m).
## ZGC: the relay that timestamps IAM calls runs in this JVM, and G1 pauses (up to 200 ms seen here)
## would bunch the timestamps of calls that arrived evenly.
bench-rollout: $(VENV)/.installed $(TEST_CP)
	@java -Xmx4g -XX:+UseZGC -DLOG_LEVEL=WARN -cp operator/target/classes:operator/target/test-classes:$$(cat $(TEST_CP)) \
	  io.spacecrab.token.RolloutBench $(ROLLOUT_ARGS)

## build: the executable jar (operator/target/spacecrab.jar)
build:
	$(MVN) package -DskipTests

## crds: copy the CRDs generated from the Java classes into crds/ and into the chart (helm/spacecrab/files/crds/,
## byte-identical copies that the chart renders as templates; HelmChartIT fails when they differ)
crds:
	$(MVN) process-classes -pl operator
	cp operator/target/classes/META-INF/fabric8/*-v1.yml crds/
	cp operator/target/classes/META-INF/fabric8/*-v1.yml helm/spacecrab/files/crds/

## docs: regenerate the settings table of docs/configuration.md from the settings the code declares
docs: $(TEST_CP)
	@java -cp operator/target/classes:operator/target/test-classes:$$(cat $(TEST_CP)) \
	  io.spacecrab.config.ConfigurationDocTest

$(TEST_CP): $(shell find operator/src -type f) pom.xml operator/pom.xml
	$(MVN) test-compile
	$(MVN) dependency:build-classpath -pl operator -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test

$(VENV)/.installed: requirements-test.txt requirements-checkov.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r requirements-test.txt
	$(PYTHON) -m venv $(VENV)/checkov
	$(VENV)/checkov/bin/pip install -q --disable-pip-version-check -r requirements-checkov.txt
	touch $@

clean:
	$(MVN) clean
	rm -rf $(VENV)
