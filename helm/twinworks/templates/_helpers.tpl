{{/* vim: set filetype=mustache: */}}

{{/*
Expand the name of the chart.
*/}}
{{- define "twinworks.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Create a default fully qualified app name (truncated to 63 characters, the DNS label limit).
If the release name contains the chart name it is used as the full name.
*/}}
{{- define "twinworks.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
Chart name and version as used by the helm.sh/chart label.
*/}}
{{- define "twinworks.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
The name of one component's resources: <fullname>-<component>.
Scope: dict "dot" . "component" "analytics"
*/}}
{{- define "twinworks.componentName" -}}
{{- printf "%s-%s" (include "twinworks.fullname" .dot) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Standard labels (Helm's and Kubernetes' recommended labels), like the Hono chart's "hono.metadata".
Scope: dict "dot" . "component" "analytics"
*/}}
{{- define "twinworks.labels" -}}
app.kubernetes.io/name: {{ include "twinworks.name" .dot | quote }}
helm.sh/chart: {{ include "twinworks.chart" .dot | quote }}
app.kubernetes.io/managed-by: {{ .dot.Release.Service | quote }}
app.kubernetes.io/instance: {{ .dot.Release.Name | quote }}
app.kubernetes.io/version: {{ .dot.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: "twinworks"
{{- if .component }}
app.kubernetes.io/component: {{ .component | quote }}
{{- end }}
{{- end -}}

{{/*
Selector labels: stable across upgrades (no version), one component of one release.
Scope: dict "dot" . "component" "analytics"
*/}}
{{- define "twinworks.selectorLabels" -}}
app.kubernetes.io/name: {{ include "twinworks.name" .dot | quote }}
app.kubernetes.io/instance: {{ .dot.Release.Name | quote }}
app.kubernetes.io/component: {{ .component | quote }}
{{- end -}}

{{/*
The full name the official Ditto chart gives its resources. It mirrors that chart's "ditto.fullname"
because a parent chart cannot call it when the subchart is disabled (attach mode) or absent, just as
cloud2edge's values assume the default "<release>-mongodb" name.
*/}}
{{- define "twinworks.ditto.fullname" -}}
{{- $ditto := .Values.ditto | default dict -}}
{{- if $ditto.fullnameOverride -}}
{{- $ditto.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default "ditto" $ditto.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
The full name the official Hono chart gives its resources (mirrors "hono.fullname", see above).
*/}}
{{- define "twinworks.hono.fullname" -}}
{{- $hono := .Values.hono | default dict -}}
{{- if $hono.fullnameOverride -}}
{{- $hono.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default "hono" $hono.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
Ditto's HTTP API base URL: the Ditto chart's nginx service of this release when ditto.enabled,
otherwise externalDitto.httpUrl (required then).
*/}}
{{- define "twinworks.ditto.httpUrl" -}}
{{- if .Values.ditto.enabled -}}
{{- $port := 8080 -}}
{{- with .Values.ditto.nginx }}{{ with .service }}{{ with .port }}{{ $port = . }}{{ end }}{{ end }}{{ end -}}
{{- printf "http://%s-nginx:%v" (include "twinworks.ditto.fullname" .) $port -}}
{{- else -}}
{{- required "externalDitto.httpUrl must be set when ditto.enabled is false (attach to an existing Ditto)" .Values.externalDitto.httpUrl | trimSuffix "/" -}}
{{- end -}}
{{- end -}}

{{/*
Ditto's WebSocket base URL (ws:// or wss://, without /ws/2) derived from its HTTP base URL.
*/}}
{{- define "twinworks.ditto.wsUrl" -}}
{{- $http := include "twinworks.ditto.httpUrl" . -}}
{{- if hasPrefix "https://" $http -}}
{{- printf "wss://%s" (trimPrefix "https://" $http) -}}
{{- else -}}
{{- printf "ws://%s" (trimPrefix "http://" $http) -}}
{{- end -}}
{{- end -}}

{{/*
Where the Thing Models are served (TWINWORKS_MODELS_BASE_URL, <base>/models/<name>-<version>.tm.jsonld): the things'
definitions name it and Ditto downloads the models from it. models.baseUrl when set, otherwise the dashboard's
Service in this namespace (the dashboard serves the models); one of the two is required.
*/}}
{{- define "twinworks.models.baseUrl" -}}
{{- if .Values.models.baseUrl -}}
{{- tpl .Values.models.baseUrl . | trimSuffix "/" -}}
{{- else if .Values.dashboard.enabled -}}
{{- $port := include "twinworks.envValue" (dict "dot" . "value" .Values.dashboard.config.httpPort) -}}
{{- printf "http://%s.%s.svc:%s" (include "twinworks.componentName" (dict "dot" . "component" "dashboard")) .Release.Namespace $port -}}
{{- else -}}
{{- fail "models.baseUrl must be set when dashboard.enabled is false: the dashboard serves the Thing Models Ditto downloads" -}}
{{- end -}}
{{- end -}}

{{/*
Hono's MQTT adapter URI: the Hono chart's adapter-mqtt service of this release when hono.enabled
(insecure port 1883, enabled by that chart's default), otherwise externalHono.mqttUri (required then).
*/}}
{{- define "twinworks.hono.mqttUri" -}}
{{- if .Values.hono.enabled -}}
{{- printf "tcp://%s-adapter-mqtt:1883" (include "twinworks.hono.fullname" .) -}}
{{- else -}}
{{- required "externalHono.mqttUri must be set when hono.enabled is false (attach to an existing Hono)" .Values.externalHono.mqttUri -}}
{{- end -}}
{{- end -}}

{{/*
Hono's device registry management API base URL (without /v1): the Hono chart's
service-device-registry-ext service (insecure port 28080) when hono.enabled, otherwise
externalHono.registryUrl (required then).
*/}}
{{- define "twinworks.hono.registryUrl" -}}
{{- if .Values.hono.enabled -}}
{{- printf "http://%s-service-device-registry-ext:28080" (include "twinworks.hono.fullname" .) -}}
{{- else -}}
{{- required "externalHono.registryUrl must be set when hono.enabled is false (attach to an existing Hono)" .Values.externalHono.registryUrl | trimSuffix "/" -}}
{{- end -}}
{{- end -}}

{{/*
One configuration value as an environment variable value. Values may use templates (like the Hono
chart's values), e.g. '{{ include "twinworks.ditto.wsUrl" . }}'. Whole numbers print without an
exponent: Helm reads numbers of a values file as float64, and toString 86400000.0 gives "8.64e+07".
Scope: dict "dot" . "value" <value>
*/}}
{{- define "twinworks.envValue" -}}
{{- $v := .value -}}
{{- if and (kindIs "float64" $v) (eq $v (float64 (int64 $v))) -}}
{{- printf "%d" (int64 $v) -}}
{{- else if kindIs "string" $v -}}
{{- tpl $v .dot -}}
{{- else -}}
{{- toString $v -}}
{{- end -}}
{{- end -}}

{{/*
The environment variable a configuration key maps to: <prefix><KEY IN UPPER SNAKE CASE>,
e.g. prefix TWINWORKS_ANALYTICS_ and key writeIntervalMs give TWINWORKS_ANALYTICS_WRITE_INTERVAL_MS.
Scope: dict "prefix" "TWINWORKS_ANALYTICS_" "key" "writeIntervalMs"
*/}}
{{- define "twinworks.envName" -}}
{{- printf "%s%s" .prefix (snakecase .key | upper) -}}
{{- end -}}

{{/*
The container environment of one component, the ONE place its configuration reaches the service:
every key of <component>.config becomes a plain variable, every key of <component>.secretConfig a
variable read from the component's Secret (or <component>.existingSecret), keyed by the variable name.
Scope: dict "dot" . "component" "analytics" "values" .Values.analytics "prefix" "TWINWORKS_ANALYTICS_"
*/}}
{{- define "twinworks.env" -}}
{{- $dot := .dot -}}
{{- $prefix := .prefix -}}
{{- $secretName := .values.existingSecret | default (include "twinworks.componentName" (dict "dot" .dot "component" .component)) -}}
{{- range $key, $value := .values.config }}
- name: {{ include "twinworks.envName" (dict "prefix" $prefix "key" $key) }}
  value: {{ include "twinworks.envValue" (dict "dot" $dot "value" $value) | quote }}
{{- end }}
{{- range $key, $value := .values.secretConfig }}
- name: {{ include "twinworks.envName" (dict "prefix" $prefix "key" $key) }}
  valueFrom:
    secretKeyRef:
      name: {{ $secretName | quote }}
      key: {{ include "twinworks.envName" (dict "prefix" $prefix "key" $key) | quote }}
{{- end }}
{{- end -}}

{{/*
The Secret holding one component's secretConfig (skipped with existingSecret or no secret keys).
Scope: dict "dot" . "component" "analytics" "values" .Values.analytics "prefix" "TWINWORKS_ANALYTICS_"
*/}}
{{- define "twinworks.secret" -}}
{{- if and (not .values.existingSecret) .values.secretConfig }}
---
apiVersion: v1
kind: Secret
metadata:
  name: {{ include "twinworks.componentName" . | quote }}
  namespace: {{ .dot.Release.Namespace | quote }}
  labels:
    {{- include "twinworks.labels" . | nindent 4 }}
type: Opaque
data:
  {{- $dot := .dot }}
  {{- $prefix := .prefix }}
  {{- range $key, $value := .values.secretConfig }}
  {{ include "twinworks.envName" (dict "prefix" $prefix "key" $key) }}: {{ include "twinworks.envValue" (dict "dot" $dot "value" $value) | b64enc | quote }}
  {{- end }}
{{- end }}
{{- end -}}

{{/*
Pod annotations that roll the pods when their configuration or secret values change (a component's
config file, e.g. the adapters' adapterConfig, counts as configuration).
*/}}
{{- define "twinworks.configChecksums" -}}
checksum/config: {{ toJson (pick .values "config" "adapterConfig") | sha256sum | quote }}
checksum/secret: {{ toJson .values.secretConfig | sha256sum | quote }}
{{- end -}}

{{/*
The container image reference; the tag defaults to the chart's appVersion.
Scope: the component's image values plus dot: dict "dot" . "image" .Values.analytics.image
*/}}
{{- define "twinworks.image" -}}
{{- $registry := .dot.Values.global.imageRegistry | default .image.registry -}}
{{- $tag := .image.tag | default .dot.Chart.AppVersion -}}
{{- if $registry -}}
{{- printf "%s/%s:%s" $registry .image.repository $tag -}}
{{- else -}}
{{- printf "%s:%s" .image.repository $tag -}}
{{- end -}}
{{- end -}}

{{/*
The pod-level security context: non-root, fixed uid/gid, default seccomp profile.
*/}}
{{- define "twinworks.podSecurityContext" -}}
{{- toYaml .Values.podSecurityContext -}}
{{- end -}}

{{/*
The container-level security context: no privilege escalation, read-only root file system, no
capabilities. Scope: the component's values (containerSecurityContext merged over the chart default).
*/}}
{{- define "twinworks.containerSecurityContext" -}}
{{- toYaml (mergeOverwrite (deepCopy .dot.Values.containerSecurityContext) (.values.containerSecurityContext | default dict)) -}}
{{- end -}}

{{/*
Fails rendering when an enabled component has no configuration or no httpPort (the chart probes /health
and scrapes /metrics on it). Scope: dict "key" "mqttBridge" "what" "MQTT bridge adapter" "values" <values>
*/}}
{{- define "twinworks.requireHttpPort" -}}
{{- if not (hasKey (.values.config | default dict) "httpPort") -}}
{{- fail (printf "%s.config.httpPort is missing: the chart probes /health and scrapes /metrics on that port" .key) -}}
{{- end -}}
{{- end -}}

{{/*
The adapters' config file (device-adapters/README.md) as a ConfigMap, and the refusals that keep
credentials out of it: the Hono and plant-broker passwords go to secretConfig (environment variables
TWINWORKS_ADAPTER_HONO_PASSWORD / _BRIDGE_PASSWORD from the component's Secret).
Scope: dict "dot" . "component" "mqtt-bridge" "values" .Values.mqttBridge "key" "mqttBridge"
*/}}
{{- define "twinworks.adapterConfigMap" -}}
{{- $document := tpl (toString (.values.adapterConfig | default "")) .dot -}}
{{- if not (trim $document) -}}
{{- fail (printf "%s.adapterConfig is empty: set the adapter's config file (YAML, see device-adapters/README.md), e.g. --set-file %s.adapterConfig=adapter.yaml" .key .key) -}}
{{- end -}}
{{- if regexMatch "(?i)(^|[\\s{,\"'])password[\"']?\\s*:" $document -}}
{{- fail (printf "%s.adapterConfig contains a password: a ConfigMap holds it, so put the Hono password into %s.secretConfig.honoPassword and the plant broker's into %s.secretConfig.bridgePassword (or %s.existingSecret)" .key .key .key .key) -}}
{{- end -}}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "twinworks.componentName" . | quote }}
  namespace: {{ .dot.Release.Namespace | quote }}
  labels:
    {{- include "twinworks.labels" . | nindent 4 }}
data:
  adapter.yaml: {{ $document | quote }}
{{- end -}}

{{/*
The outbox volume mount of an adapter, refusing an outbox file that is not on it (the outbox would
then live on the container's file system: read-only here, and lost with the container anyway).
Scope: dict "dot" . "key" "mqttBridge" "values" <values>
*/}}
{{- define "twinworks.outboxMountPath" -}}
{{- $file := include "twinworks.envValue" (dict "dot" .dot "value" .values.config.outboxFile) -}}
{{- $mount := .values.outbox.mountPath | trimSuffix "/" -}}
{{- if not (hasPrefix (printf "%s/" $mount) $file) -}}
{{- fail (printf "%s.config.outboxFile %s is not on the outbox volume %s.outbox.mountPath (%s): the outbox must be on the volume that keeps it" .key $file .key $mount) -}}
{{- end -}}
{{- $mount -}}
{{- end -}}
