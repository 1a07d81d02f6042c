package org.atnabridge.accesslog;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The fields of one access log line that matter to an audit record; absent ones ({@code -} in text
 * formats) are null.
 *
 * @param remoteAddress the peer that connected to the logging server
 * @param user {@code $remote_user} or the mapped user field
 * @param time when the request was logged
 * @param method HTTP method, upper case
 * @param target the request target as logged (path and query)
 * @param status the HTTP status returned to the client
 * @param requestId X-Request-Id ({@code $request_id}, Envoy {@code x-request-id})
 * @param forwardedFor the X-Forwarded-For header
 * @param clientId the OAuth client id, when the log carries one
 * @param upstreamStatus the status the upstream returned, when logged separately
 * @param authority the Host / :authority the request was sent to
 */
public record AccessLogRecord(
    @Nullable String remoteAddress,
    @Nullable String user,
    @Nullable Instant time,
    String method,
    String target,
    int status,
    @Nullable String requestId,
    @Nullable String forwardedFor,
    @Nullable String clientId,
    @Nullable String upstreamStatus,
    @Nullable String authority) {}
