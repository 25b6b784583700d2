package io.spacecrab.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.spacecrab.api.SpaceCrab;

/**
 * Whether the detection pipeline works end to end, shown by the operator's self-test: one object
 * (named {@code self-test}) in the operator's namespace. The operator writes the self-test calls
 * and the conditions, the detector the uses it saw per intake path.
 */
@Group(SpaceCrab.GROUP)
@Version(SpaceCrab.VERSION)
@Categories(SpaceCrab.CATEGORY)
@ShortNames("plh")
@AdditionalPrinterColumn(name = "S3", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"S3Delivering\")].status")
@AdditionalPrinterColumn(name = "EventBridge", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"EventBridgeDelivering\")].status")
@AdditionalPrinterColumn(name = "LastCall", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.lastCallTime")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
public class PipelineHealth extends CustomResource<PipelineHealthSpec, PipelineHealthStatus> implements Namespaced {}
