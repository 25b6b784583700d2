package io.spacecrab.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Nothing to set: the self-test is configured by the operator's flags (--self-test-*). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PipelineHealthSpec {}
