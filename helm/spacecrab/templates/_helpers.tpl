{{/* Chart name, cut to 63 characters (label value limit). */}}
{{- define "spacecrab.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Base name of every object: the release name when it already contains the chart name, else
<release>-<chart>. Cut to 40 characters, so that Service names ("<fullname>-detector-metrics")
stay within the 63 a DNS label allows.
*/}}
{{- define "spacecrab.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "spacecrab.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every object. */}}
{{- define "spacecrab.labels" -}}
helm.sh/chart: {{ include "spacecrab.chart" . }}
app.kubernetes.io/name: {{ include "spacecrab.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: spacecrab
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Labels of one component's objects: (dict "ctx" $ "component" "operator"). */}}
{{- define "spacecrab.componentLabels" -}}
{{ include "spacecrab.labels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* Selector of one component's pods: (dict "ctx" $ "component" "operator"). */}}
{{- define "spacecrab.selectorLabels" -}}
app.kubernetes.io/name: {{ include "spacecrab.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* ServiceAccount name of one component: (dict "ctx" $ "component" "operator"). */}}
{{- define "spacecrab.serviceAccountName" -}}
{{- $values := index .ctx.Values .component }}
{{- if $values.serviceAccount.create }}
{{- default (printf "%s-%s" (include "spacecrab.fullname" .ctx) .component) $values.serviceAccount.name }}
{{- else }}
{{- $values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Namespace of HoneyTokenAlerts and AlertSinks. */}}
{{- define "spacecrab.alertNamespace" -}}
{{- default .Release.Namespace .Values.alertNamespace }}
{{- end }}

{{/* repository:tag[@digest]; the tag defaults to the chart's appVersion. */}}
{{- define "spacecrab.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag }}
{{- if .Values.image.digest }}
{{- printf "%s:%s@%s" .Values.image.repository $tag .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}
{{- end }}

{{/* Scoped mode: the release namespace and every scoped namespace, each once, as a list. */}}
{{- define "spacecrab.scopedRoleNamespaces" -}}
{{- $all := prepend .Values.rbac.scopedNamespaces .Release.Namespace | uniq }}
{{- toJson $all }}
{{- end }}

{{/*
Env var of one jar setting: SPACECRAB_ + the key in UPPER_SNAKE case. camelCase and kebab-case
keys give the same name: iamCallsPerSecond and iam-calls-per-second are SPACECRAB_IAM_CALLS_PER_SECOND.
*/}}
{{- define "spacecrab.settingsEnv" -}}
{{- range $key, $value := . }}
- name: SPACECRAB_{{ $key | replace "-" "_" | snakecase | upper }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- end }}

{{/*
The container and pod parts both Deployments share: (dict "ctx" $ "component" "operator").
Pod Security Standard "restricted", plus a read-only root with /tmp on an emptyDir.
*/}}
{{- define "spacecrab.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
fsGroup: 65532
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "spacecrab.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* Probes on the container port named http: /readyz gates start and traffic, /healthz is liveness. */}}
{{- define "spacecrab.probes" -}}
startupProbe:
  httpGet:
    path: /readyz
    port: http
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: 30
readinessProbe:
  httpGet:
    path: /readyz
    port: http
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
livenessProbe:
  httpGet:
    path: /healthz
    port: http
  periodSeconds: 20
  timeoutSeconds: 5
  failureThreshold: 3
{{- end }}

{{/* Env both containers share, first in the list. */}}
{{- define "spacecrab.commonEnv" -}}
- name: SPACECRAB_CLUSTER_ID
  value: {{ .Values.clusterId | quote }}
- name: SPACECRAB_AWS_REGION
  value: {{ .Values.aws.region | quote }}
- name: SPACECRAB_REGISTRY_TABLE
  value: {{ .Values.aws.registryTable | quote }}
{{- with .Values.aws.endpoint }}
- name: SPACECRAB_AWS_ENDPOINT
  value: {{ . | quote }}
{{- end }}
{{- end }}

{{/* Env both containers share, after the component's own. */}}
{{- define "spacecrab.runtimeEnv" -}}
- name: SPACECRAB_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
- name: SPACECRAB_ALERT_NAMESPACE
  value: {{ include "spacecrab.alertNamespace" . | quote }}
- name: SPACECRAB_METRICS_PORT
  value: "8080"
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: JAVA_TOOL_OPTIONS
  value: {{ printf "-XX:MaxRAMPercentage=%v -XX:+ExitOnOutOfMemoryError" .Values.jvm.maxRamPercentage | quote }}
{{- end }}

{{/*
The operator's rules on HoneyTokens and Secrets: in its ClusterRole (cluster mode) or in a Role per
namespace (scoped mode). Secrets: the target Secrets of tokens, the seal key and sink credentials.
RBAC cannot grant by label, so list/watch reach every Secret in scope; the informer caches only
the labelled ones.
*/}}
{{- define "spacecrab.operatorNamespacedRules" -}}
- apiGroups: ["spacecrab.io"]
  resources: ["honeytokens"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: ["spacecrab.io"]
  resources: ["honeytokens/status"]
  verbs: ["get", "update", "patch"]
- apiGroups: ["spacecrab.io"]
  resources: ["honeytokens/finalizers"]
  verbs: ["update"]
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
# where a key was exposed (read once per alert): the workloads that can read a token's Secret and
# the RoleBindings (and their Roles) that let subjects read it
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["list"]
- apiGroups: ["apps"]
  resources: ["replicasets", "deployments", "statefulsets", "daemonsets"]
  verbs: ["list"]
- apiGroups: ["batch"]
  resources: ["jobs", "cronjobs"]
  verbs: ["list"]
- apiGroups: ["rbac.authorization.k8s.io"]
  resources: ["roles", "rolebindings"]
  verbs: ["list"]
{{- end }}
