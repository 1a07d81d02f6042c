package org.atnabridge.allinone;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.Delete;
import ca.uhn.fhir.rest.annotation.History;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.Patch;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Transaction;
import ca.uhn.fhir.rest.annotation.TransactionParam;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.PatchTypeEnum;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.IdType;
import org.hl7.fhir.r5.model.Observation;
import org.hl7.fhir.r5.model.Parameters;
import org.hl7.fhir.r5.model.Patient;
import org.hl7.fhir.r5.model.Resource;

/**
 * A small HAPI plain server behind nginx in the access log acceptance test: it answers every
 * RESTful interaction the access log conversion knows, so nginx logs real statuses. Patient ids
 * {@value #MISSING}, {@value #FORBIDDEN} and {@value #BROKEN} answer 404, 403 and 500.
 */
final class FhirBackend implements AutoCloseable {

  static final String MISSING = "missing";
  static final String FORBIDDEN = "secret";
  static final String BROKEN = "broken";

  private final Server jetty;

  private FhirBackend(Server jetty) {
    this.jetty = jetty;
  }

  /** Starts on a free loopback port, base path {@code /fhir}. */
  static FhirBackend start() throws Exception {
    RestfulServer fhir = new RestfulServer(FhirContext.forR5Cached());
    fhir.setResourceProviders(List.of(new Patients(), new Observations()));
    fhir.setPlainProviders(List.of(new SystemLevel()));
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addServlet(new ServletHolder("fhir", fhir), "/fhir/*");
    server.setHandler(context);
    server.start();
    return new FhirBackend(server);
  }

  int port() {
    return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
  }

  @Override
  public void close() throws Exception {
    jetty.stop();
  }

  private static Patient patient(IdType id) {
    switch (id.getIdPart()) {
      case MISSING -> throw new ResourceNotFoundException(id);
      case FORBIDDEN -> throw new ForbiddenOperationException("not for you");
      case BROKEN -> throw new InternalErrorException("the backend failed");
      default -> {}
    }
    Patient p = new Patient();
    p.setId(
        new IdType("Patient", id.getIdPart(), id.hasVersionIdPart() ? id.getVersionIdPart() : "1"));
    p.addName().setFamily("Test");
    return p;
  }

  /** Patient: instance, type and compartment interactions, and {@code $everything}. */
  public static final class Patients implements IResourceProvider {
    @Override
    public Class<Patient> getResourceType() {
      return Patient.class;
    }

    @Read(version = true)
    public Patient read(@IdParam IdType id) {
      return patient(id);
    }

    @Create
    public MethodOutcome create(@ResourceParam Patient p) {
      return new MethodOutcome(new IdType("Patient", "new", "1"), true);
    }

    @Update
    public MethodOutcome update(@IdParam IdType id, @ResourceParam Patient p) {
      patient(id);
      return new MethodOutcome(id.withVersion("2"));
    }

    @Patch
    public MethodOutcome patch(@IdParam IdType id, PatchTypeEnum type, @ResourceParam String body) {
      patient(id);
      return new MethodOutcome(id.withVersion("3"));
    }

    @Delete
    public MethodOutcome delete(@IdParam IdType id) {
      patient(id);
      return new MethodOutcome();
    }

    @Search(allowUnknownParams = true)
    public List<Patient> search() {
      return List.of(patient(new IdType("Patient", "1")));
    }

    @History
    public List<Patient> instanceHistory(@IdParam IdType id) {
      return List.of(patient(id));
    }

    @History
    public List<Patient> typeHistory() {
      return List.of(patient(new IdType("Patient", "1")));
    }

    @Search(compartmentName = "Observation", allowUnknownParams = true)
    public List<Observation> observations(@IdParam IdType id) {
      patient(id);
      return List.of(observation(id.getIdPart()));
    }

    @Operation(name = "$everything", idempotent = true)
    public Bundle everything(@IdParam IdType id) {
      Bundle b = new Bundle().setType(Bundle.BundleType.SEARCHSET);
      b.addEntry().setResource(patient(id));
      return b;
    }
  }

  /** Observation: searches by patient in every form, read and create. */
  public static final class Observations implements IResourceProvider {
    @Override
    public Class<Observation> getResourceType() {
      return Observation.class;
    }

    @Read
    public Observation read(@IdParam IdType id) {
      Observation o = observation("1");
      o.setIdElement(new IdType("Observation", id.getIdPart()));
      return o;
    }

    @Create
    public MethodOutcome create(@ResourceParam Observation o) {
      return new MethodOutcome(new IdType("Observation", "new", "1"), true);
    }

    @Search(allowUnknownParams = true)
    public List<Observation> search() {
      return List.of(observation("1"));
    }
  }

  /** Batch/transaction, system history and a system-level operation. */
  public static final class SystemLevel {
    @Transaction
    public Bundle transaction(@TransactionParam Bundle in) {
      Bundle out = new Bundle().setType(Bundle.BundleType.TRANSACTIONRESPONSE);
      in.getEntry().forEach(e -> out.addEntry().getResponse().setStatus("201 Created"));
      return out;
    }

    @History
    public List<Resource> systemHistory() {
      return List.of(patient(new IdType("Patient", "1")));
    }

    @Operation(name = "$ping", idempotent = true)
    public Parameters ping() {
      return new Parameters().addParameter("pong", true);
    }
  }

  private static Observation observation(String patient) {
    Observation o = new Observation();
    o.setId("Observation/o1");
    o.setStatus(org.hl7.fhir.r5.model.Enumerations.ObservationStatus.FINAL);
    o.getSubject().setReference("Patient/" + patient);
    return o;
  }
}
