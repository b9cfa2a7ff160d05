package org.cameldicomsecure.examples.springboot;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * {@code dicomtls:GATEWAY@HOST:PORT} (a Storage SCP over TLS: certificate, private key and trusted CAs come from the
 * camel.component.dicomtls.* properties) to {@code file:OUTPUT}, one file per instance named after its SOP Instance
 * UID. The C-STORE is answered with Success only after the file is written.
 */
@Component
public class TlsReceiverRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("dicomtls:{{gateway.aet}}@{{gateway.host}}:{{gateway.port}}")
                .routeId("dicom-tls-receiver")
                .to("file:{{gateway.output}}?fileName=${header.CamelDicomSopInstanceUid}.dcm")
                .log("received ${header.CamelDicomSopInstanceUid} from ${header.CamelDicomCallingAet}");
    }
}
