{{/* vim: set filetype=mustache: */}}

{{/*
The pod template spec shared by every Twinworks service (Deployment or DaemonSet): the service's
container with its environment from <component>.config/.secretConfig, /health/live and /health/ready probes and /metrics on
config.httpPort, non-root read-only security contexts, resources, and a writable /tmp (the JVM and
Vert.x write their temporary files there; the root file system stays read-only).
Scope: dict "dot" . "component" "analytics" "values" .Values.analytics
       [+ "args" list "extraVolumes" list "extraVolumeMounts" list "initContainers" list
          "extraContainerResources" dict]
*/}}
{{- define "twinworks.podTemplate" -}}
{{- $values := .values -}}
{{- $port := include "twinworks.envValue" (dict "dot" .dot "value" $values.config.httpPort) | int -}}
metadata:
  labels:
    {{- include "twinworks.labels" . | nindent 4 }}
  annotations:
    {{- include "twinworks.configChecksums" . | nindent 4 }}
    {{- with $values.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  {{- with .dot.Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  automountServiceAccountToken: false
  securityContext:
    {{- include "twinworks.podSecurityContext" .dot | nindent 4 }}
    {{- with $values.supplementalGroups }}
    supplementalGroups:
      {{- toYaml . | nindent 6 }}
    {{- end }}
  {{- with $values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $values.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .initContainers }}
  initContainers:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  containers:
    - name: {{ .component | quote }}
      image: {{ include "twinworks.image" (dict "dot" .dot "image" $values.image) | quote }}
      imagePullPolicy: {{ $values.image.pullPolicy | default "IfNotPresent" | quote }}
      {{- with .args }}
      args:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      env:
        {{- include "twinworks.env" . | nindent 8 }}
        {{- with $values.javaToolOptions }}
        # JVM flags (heap sizing relative to the memory limit); read by the JVM itself, not by Twinworks.
        - name: JAVA_TOOL_OPTIONS
          value: {{ . | quote }}
        {{- end }}
      ports:
        - name: http
          containerPort: {{ $port }}
          protocol: TCP
      # liveness (restart the pod) only on what a restart can fix; readiness (out of service) on every
      # dependency the service checks: Ditto WebSocket, Kafka consumer, outbox, serial ports...
      startupProbe:
        httpGet:
          path: /health/live
          port: http
        {{- toYaml $values.probes.startup | nindent 8 }}
      livenessProbe:
        httpGet:
          path: /health/live
          port: http
        {{- toYaml $values.probes.liveness | nindent 8 }}
      readinessProbe:
        httpGet:
          path: /health/ready
          port: http
        {{- toYaml $values.probes.readiness | nindent 8 }}
      resources:
        {{- toYaml (mergeOverwrite (deepCopy ($values.resources | default dict)) (.extraContainerResources | default dict)) | nindent 8 }}
      securityContext:
        {{- include "twinworks.containerSecurityContext" . | nindent 8 }}
      volumeMounts:
        - name: tmp
          mountPath: /tmp
        {{- with .extraVolumeMounts }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
  volumes:
    - name: tmp
      emptyDir:
        sizeLimit: {{ $values.tmpSizeLimit | default "256Mi" | quote }}
    {{- with .extraVolumes }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end -}}

{{/*
The Service of one component (its /health and /metrics port, for probes from outside, Prometheus and
NetworkPolicies). Scope: as twinworks.podTemplate.
*/}}
{{- define "twinworks.service" -}}
{{- $port := include "twinworks.envValue" (dict "dot" .dot "value" .values.config.httpPort) | int -}}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ include "twinworks.componentName" . | quote }}
  namespace: {{ .dot.Release.Namespace | quote }}
  labels:
    {{- include "twinworks.labels" . | nindent 4 }}
spec:
  type: {{ .values.service.type | default "ClusterIP" }}
  ports:
    - name: http
      port: {{ $port }}
      targetPort: http
      protocol: TCP
  selector:
    {{- include "twinworks.selectorLabels" . | nindent 4 }}
{{- end -}}

{{/*
The PodDisruptionBudget of one component: a voluntary eviction (node drain, cluster upgrade) takes at
most maxUnavailable pods at a time; maxUnavailable rather than minAvailable so that a single replica
never blocks a drain. Scope: as twinworks.podTemplate.
*/}}
{{- define "twinworks.pdb" -}}
{{- if .values.podDisruptionBudget.enabled }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "twinworks.componentName" . | quote }}
  namespace: {{ .dot.Release.Namespace | quote }}
  labels:
    {{- include "twinworks.labels" . | nindent 4 }}
spec:
  maxUnavailable: {{ .values.podDisruptionBudget.maxUnavailable | default 1 }}
  selector:
    matchLabels:
      {{- include "twinworks.selectorLabels" . | nindent 6 }}
{{- end }}
{{- end -}}

{{/*
The ServiceMonitor (Prometheus Operator) scraping /metrics of one component, when
metrics.serviceMonitor.enabled. Scope: as twinworks.podTemplate.
*/}}
{{- define "twinworks.serviceMonitor" -}}
{{- if .dot.Values.metrics.serviceMonitor.enabled }}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "twinworks.componentName" . | quote }}
  namespace: {{ .dot.Release.Namespace | quote }}
  labels:
    {{- include "twinworks.labels" . | nindent 4 }}
    {{- with .dot.Values.metrics.serviceMonitor.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  selector:
    matchLabels:
      {{- include "twinworks.selectorLabels" . | nindent 6 }}
  endpoints:
    - port: http
      path: /metrics
      interval: {{ .dot.Values.metrics.serviceMonitor.interval | quote }}
{{- end }}
{{- end -}}

{{/*
The NetworkPolicy of one component: ingress only to its http port (/health, /metrics), from the
pods of this release and from the namespaces in networkPolicy.metricsNamespaceSelector (Prometheus).
The services only open outbound connections (Ditto, Hono, the plant); egress stays open because
attach mode points at endpoints this chart cannot know. Scope: as twinworks.podTemplate.
*/}}
{{- define "twinworks.networkPolicy" -}}
{{- if .dot.Values.networkPolicy.enabled }}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "twinworks.componentName" . | quote }}
  namespace: {{ .dot.Release.Namespace | quote }}
  labels:
    {{- include "twinworks.labels" . | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "twinworks.selectorLabels" . | nindent 6 }}
  policyTypes:
    - Ingress
  ingress:
    - ports:
        - port: http
          protocol: TCP
      from:
        - podSelector:
            matchLabels:
              app.kubernetes.io/instance: {{ .dot.Release.Name | quote }}
        {{- with .dot.Values.networkPolicy.metricsNamespaceSelector }}
        - namespaceSelector:
            {{- toYaml . | nindent 12 }}
        {{- end }}
        {{- with .values.networkPolicy }}
        {{- with .extraFrom }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
        {{- end }}
{{- end }}
{{- end -}}

{{/*
Everything of one long-running service deployed as a Deployment: Secret, Deployment, Service,
PodDisruptionBudget, ServiceMonitor, NetworkPolicy.
Scope: dict "dot" . "component" "analytics" "values" .Values.analytics "prefix" <envPrefix>
       [+ "strategy" dict, and the extras of twinworks.podTemplate]
*/}}
{{- define "twinworks.deploymentComponent" -}}
{{- include "twinworks.secret" . }}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "twinworks.componentName" . | quote }}
  namespace: {{ .dot.Release.Namespace | quote }}
  labels:
    {{- include "twinworks.labels" . | nindent 4 }}
spec:
  replicas: {{ .values.replicaCount }}
  {{- with .strategy }}
  strategy:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "twinworks.selectorLabels" . | nindent 6 }}
  template:
    {{- include "twinworks.podTemplate" . | nindent 4 }}
{{ include "twinworks.service" . }}
{{ include "twinworks.pdb" . }}
{{ include "twinworks.serviceMonitor" . }}
{{ include "twinworks.networkPolicy" . }}
{{- end -}}
