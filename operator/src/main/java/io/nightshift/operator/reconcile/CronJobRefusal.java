package io.nightshift.operator.reconcile;

import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * The API server said no to creating or updating the CronJob: the condition reason for the status and
 * the Event, and the server's own message.
 */
record CronJobRefusal(int code, String reason, String message) {

    static final String REJECTED = "CronJobRejected";
    static final String FORBIDDEN = "Forbidden";
    static final String QUOTA_EXCEEDED = "QuotaExceeded";
    static final String CONFLICT = "Conflict";
    static final String SERVER_ERROR = "ApiServerError";

    static CronJobRefusal of(KubernetesClientException e, String verb, String cronJobName) {
        String said = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                : e.getCause() != null ? e.getMessage() + " " + e.getCause() : e.getMessage();
        String reason = switch (e.getCode()) {
            case 422, 400 -> REJECTED;
            case 403 -> said != null && said.contains("exceeded quota") ? QUOTA_EXCEEDED : FORBIDDEN;
            case 409 -> CONFLICT;
            default -> SERVER_ERROR;
        };
        String code = e.getCode() > 0 ? " (" + e.getCode() + ")" : "";
        return new CronJobRefusal(e.getCode(), reason, "the API server refused to " + verb + " CronJob " + cronJobName + code + ": " + said);
    }
}
