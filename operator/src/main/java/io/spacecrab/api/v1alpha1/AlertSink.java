package io.spacecrab.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;
import io.spacecrab.api.SpaceCrab;

/** Where alerts go: PagerDuty, Slack, a signed webhook or email. Lives in the alert namespace. */
@Group(SpaceCrab.GROUP)
@Version(SpaceCrab.VERSION)
@Categories(SpaceCrab.CATEGORY)
@AdditionalPrinterColumn(name = "Type", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.type")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Reason", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
public class AlertSink extends CustomResource<AlertSinkSpec, AlertSinkStatus> implements Namespaced {}
