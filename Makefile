# The commands the README names. Everything they need is installed here, on first use.
SHELL := /bin/bash
VENV := .venv
PYTHON ?= python3
MVN := mvn -B -q
JAR := operator/target/spacecrab.jar
TEST_CP := operator/target/test-classpath.txt

.PHONY: test demo bench build crds clean

## test: set up the Python virtualenv (moto) and run every test
test: $(VENV)/.installed
	mvn -B verify

## demo: the operator against an in-process Kubernetes API and the moto AWS emulator
demo: $(VENV)/.installed $(TEST_CP)
	@java -DLOG_LEVEL=WARN -cp operator/target/classes:operator/target/test-classes:$$(cat $(TEST_CP)) \
	  io.spacecrab.demo.DemoMain

## bench: detector parse speed and end-to-end alert latency (figures in the README)
bench: $(VENV)/.installed $(TEST_CP)
	@java -Xms1g -Xmx1g -cp operator/target/classes:operator/target/test-classes:$$(cat $(TEST_CP)) \
	  io.spacecrab.detect.ParseBench
	@java -DLOG_LEVEL=WARN -cp operator/target/classes:operator/target/test-classes:$$(cat $(TEST_CP)) \
	  io.spacecrab.detect.LatencyBench 200

## build: the executable jar (operator/target/spacecrab.jar)
build:
	$(MVN) package -DskipTests

## crds: copy the CRDs generated from the Java classes into crds/
crds:
	$(MVN) process-classes -pl operator
	cp operator/target/classes/META-INF/fabric8/*-v1.yml crds/

$(TEST_CP): $(shell find operator/src -type f) pom.xml operator/pom.xml
	$(MVN) test-compile
	$(MVN) dependency:build-classpath -pl operator -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test

$(VENV)/.installed: requirements-test.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r requirements-test.txt
	touch $@

clean:
	$(MVN) clean
	rm -rf $(VENV)
