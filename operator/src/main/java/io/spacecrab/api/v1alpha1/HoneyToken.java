package io.spacecrab.api.v1alpha1;

import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.spacecrab.api.SpaceCrab;

/** One AWS access key of a user that may do nothing, planted as a Secret in this namespace. */
@Group(SpaceCrab.GROUP)
@Version(SpaceCrab.VERSION)
@ShortNames("ht")
@Categories(SpaceCrab.CATEGORY)
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Reason", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason")
@AdditionalPrinterColumn(name = "Secret", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.secretName")
@AdditionalPrinterColumn(name = "Triggered", type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".status.lastTriggeredAt")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
@AdditionalPrinterColumn(name = "Key", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.accessKeyId", priority = 1)
@AdditionalPrinterColumn(name = "User", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.userName", priority = 1)
@ValidationRule(
    value = "!has(oldSelf.status) || !has(oldSelf.status.userName) || !has(self.spec.userName)"
        + " || self.spec.userName == oldSelf.status.userName"
        + " || (has(oldSelf.spec.userName) && self.spec.userName == oldSelf.spec.userName)",
    message = "spec.userName cannot name another IAM user once the token is issued (see status.userName)")
public class HoneyToken extends CustomResource<HoneyTokenSpec, HoneyTokenStatus> implements Namespaced {}
