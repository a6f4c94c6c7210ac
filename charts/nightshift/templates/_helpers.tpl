{{/* The chart's name, or nameOverride. */}}
{{- define "nightshift.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The release's objects are named after it: "<release>-nightshift", or just the release name when it
already contains the chart's name, or fullnameOverride.
*/}}
{{- define "nightshift.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "nightshift.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "nightshift.selectorLabels" -}}
app.kubernetes.io/name: {{ include "nightshift.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end }}

{{- define "nightshift.labels" -}}
helm.sh/chart: {{ include "nightshift.chart" . }}
{{ include "nightshift.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: nightshift
{{- end }}

{{- define "nightshift.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "nightshift.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "nightshift.metricsServiceName" -}}
{{- printf "%s-metrics" (include "nightshift.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* repository:tag, or repository@digest when a digest is given; the tag defaults to the chart's appVersion. */}}
{{- define "nightshift.imageRef" -}}
{{- if .image.digest }}
{{- printf "%s@%s" .image.repository .image.digest }}
{{- else }}
{{- printf "%s:%s" .image.repository (default .appVersion .image.tag) }}
{{- end }}
{{- end }}

{{- define "nightshift.operatorImage" -}}
{{- include "nightshift.imageRef" (dict "image" .Values.image "appVersion" .Chart.AppVersion) }}
{{- end }}

{{- define "nightshift.runnerImage" -}}
{{- include "nightshift.imageRef" (dict "image" .Values.runner.image "appVersion" .Chart.AppVersion) }}
{{- end }}

{{/* "true" when leader election is on: as set, or, when unset (null), when more than one replica runs. */}}
{{- define "nightshift.leaderElection" -}}
{{- if kindIs "bool" .Values.leaderElection.enabled }}
{{- .Values.leaderElection.enabled }}
{{- else }}
{{- gt (int .Values.replicas) 1 }}
{{- end }}
{{- end }}

{{- define "nightshift.metricsScheme" -}}
{{- ternary "HTTPS" "HTTP" (eq (toString .Values.metrics.secure) "true") }}
{{- end }}

{{- define "nightshift.leaseName" -}}
{{- default (include "nightshift.fullname" .) .Values.leaderElection.leaseName }}
{{- end }}

{{/*
What the operator does, and nothing more (read from its code): it watches MaintenanceJobs and patches
their status; keeps one CronJob per MaintenanceJob; creates run-now Jobs (owned by the CronJob, with
blockOwnerDeletion, which needs update on cronjobs/finalizers where OwnerReferencesPermissionEnforcement
is on); watches Jobs and the runner pods to read their results; writes core v1 Events. It never reads
Secrets: runner pods get them through secretKeyRef.
*/}}
{{- define "nightshift.operatorRules" -}}
- apiGroups: ["nightshift.io"]
  resources: ["maintenancejobs"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["nightshift.io"]
  resources: ["maintenancejobs/status"]
  verbs: ["get", "patch"]
- apiGroups: ["batch"]
  resources: ["cronjobs"]
  verbs: ["get", "list", "watch", "create", "update"]
- apiGroups: ["batch"]
  resources: ["cronjobs/finalizers"]
  verbs: ["update"]
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["get", "list", "watch", "create"]
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
{{- end }}

{{/* An alert's labels: its severity, then prometheusRule.additionalAlertLabels. */}}
{{- define "nightshift.alertLabels" -}}
severity: {{ .severity }}
{{- with .additionalLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* An alert's runbook_url annotation, when prometheusRule.runbookUrl is set. */}}
{{- define "nightshift.runbookUrl" -}}
{{- if .runbookUrl }}
{{ printf "runbook_url: %s" (printf "%s#%s" .runbookUrl .alert | quote) | indent 12 }}
{{- end }}
{{- end }}
