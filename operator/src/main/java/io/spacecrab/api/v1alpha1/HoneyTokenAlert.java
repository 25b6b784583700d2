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
 * One incident: a run of uses of one token no further apart than the quiet window (or, with
 * spec.mergedInto, one that a later use joined to another), written by the detector in the
 * alert namespace (not the token's, so that whoever sits in a breached namespace cannot delete it);
 * or (reason UsedWithoutTrail, written by the operator) a use IAM reports that CloudTrail did not.
 */
@Group(SpaceCrab.GROUP)
@Version(SpaceCrab.VERSION)
@ShortNames("hta")
@Categories(SpaceCrab.CATEGORY)
@AdditionalPrinterColumn(name = "Token-Namespace", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".spec.token.namespace")
@AdditionalPrinterColumn(name = "Token", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.token.name")
@AdditionalPrinterColumn(name = "Events", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".spec.eventCount")
@AdditionalPrinterColumn(name = "Last-Seen", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".spec.lastSeen")
@AdditionalPrinterColumn(name = "Owner", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.owner")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
@AdditionalPrinterColumn(name = "Reason", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.reason",
    priority = 1)
@AdditionalPrinterColumn(name = "Source-IPs", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".spec.sourceIPs", priority = 1)
@AdditionalPrinterColumn(name = "Merged-Into", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".spec.mergedInto", priority = 1)
public class HoneyTokenAlert extends CustomResource<HoneyTokenAlertSpec, HoneyTokenAlertStatus> implements Namespaced {}
