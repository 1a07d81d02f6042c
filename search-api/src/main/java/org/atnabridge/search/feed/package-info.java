/**
 * The FHIR Feed (IHE ITI-20 "Send Audit Resource" and "Send Audit Bundle", RESTful ATNA): clients
 * POST AuditEvents, each is checked ({@link org.atnabridge.search.feed.FeedValidator}; marks only
 * the server sets are refused, {@link org.atnabridge.search.feed.ServerOwnedMarks}), given a
 * content-derived id ({@link org.atnabridge.search.feed.FeedIds}) and written to {@code
 * audit.posted} ({@link org.atnabridge.search.feed.AuditEventFeed}), the API's intake; the search
 * API never writes anywhere else. The audit-streams task writes it to {@code audit.events} (the
 * topic of record) and treats it like a converted syslog message from then on.
 */
@NullMarked
package org.atnabridge.search.feed;

import org.jspecify.annotations.NullMarked;
