package org.atnabridge.accesslog;

import org.hl7.fhir.r5.model.AuditEvent.AuditEventAction;

/**
 * The FHIR RESTful interactions a request line can be (FHIR R5 http.html), with their {@code
 * restful-interaction} code, AuditEvent action and BALP agent direction.
 */
public enum Interaction {
  READ("read", "read", AuditEventAction.R, Direction.READ),
  VREAD("vread", "vread", AuditEventAction.R, Direction.READ),
  UPDATE("update", "update", AuditEventAction.U, Direction.WRITE),
  PATCH("patch", "patch", AuditEventAction.U, Direction.WRITE),
  DELETE("delete", "delete", AuditEventAction.D, Direction.DELETE),
  CREATE("create", "create", AuditEventAction.C, Direction.WRITE),
  SEARCH_TYPE("search-type", "search type", AuditEventAction.E, Direction.QUERY),
  SEARCH_SYSTEM("search-system", "search system", AuditEventAction.E, Direction.QUERY),
  SEARCH_COMPARTMENT(
      "search-compartment", "search compartment", AuditEventAction.E, Direction.QUERY),
  HISTORY_INSTANCE("history-instance", "history instance", AuditEventAction.R, Direction.QUERY),
  HISTORY_TYPE("history-type", "history type", AuditEventAction.R, Direction.QUERY),
  HISTORY_SYSTEM("history-system", "history system", AuditEventAction.R, Direction.QUERY),
  CAPABILITIES("capabilities", "capabilities", AuditEventAction.E, Direction.QUERY),
  /**
   * POST on the base: the Bundle's type (batch or transaction) is in the body, not in the log;
   * coded {@code transaction}.
   */
  BATCH_OR_TRANSACTION("transaction", "batch or transaction", AuditEventAction.E, Direction.WRITE),
  OPERATION("operation", "operation", AuditEventAction.E, Direction.WRITE);

  /**
   * BALP agent types by direction (IHE BALP 1.1.4): READ — client Destination 110152, server Source
   * 110153 (IHE.BasicAudit.Read, data flows to the client); WRITE and QUERY — client Source 110153,
   * server Destination 110152 (IHE.BasicAudit.Create/Update/Query); DELETE — client Application
   * 110150, server custodian (IHE.BasicAudit.Delete).
   */
  public enum Direction {
    READ,
    WRITE,
    QUERY,
    DELETE
  }

  private final String code;
  private final String display;
  private final AuditEventAction action;
  private final Direction direction;

  Interaction(String code, String display, AuditEventAction action, Direction direction) {
    this.code = code;
    this.display = display;
    this.action = action;
    this.direction = direction;
  }

  /** The {@code http://hl7.org/fhir/restful-interaction} code. */
  public String code() {
    return code;
  }

  public String display() {
    return display;
  }

  public AuditEventAction action() {
    return action;
  }

  public Direction direction() {
    return direction;
  }

  /** Whether the request is a search, so its query entity is the BALP Query pattern's. */
  public boolean search() {
    return this == SEARCH_TYPE || this == SEARCH_SYSTEM || this == SEARCH_COMPARTMENT;
  }
}
