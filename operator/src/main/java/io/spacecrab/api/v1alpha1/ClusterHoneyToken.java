package io.spacecrab.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.spacecrab.api.SpaceCrab;

/** A HoneyToken template stamped into every namespace a selector picks: one unique key per namespace. */
@Group(SpaceCrab.GROUP)
@Version(SpaceCrab.VERSION)
@ShortNames("cht")
@Categories(SpaceCrab.CATEGORY)
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Desired", type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".status.desired")
@AdditionalPrinterColumn(name = "Issued", type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".status.ready")
@AdditionalPrinterColumn(name = "Failed", type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".status.failed")
@AdditionalPrinterColumn(name = "Reason", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
public class ClusterHoneyToken extends CustomResource<ClusterHoneyTokenSpec, ClusterHoneyTokenStatus> {}
