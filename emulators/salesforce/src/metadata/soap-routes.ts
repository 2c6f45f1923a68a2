import express, { type Request, type Response, type Router } from 'express';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import type { EmulatorState } from '../emulator-state';
import { readPackageZip } from './package-files';

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
});
const builder = new XMLBuilder({ ignoreAttributes: true, suppressEmptyNode: false });

const ENVELOPE_OPEN =
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="http://soap.sforce.com/2006/04/metadata" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>';
const ENVELOPE_CLOSE = '</soapenv:Body></soapenv:Envelope>';

function send(res: Response, status: number, body: string): void {
  res
    .status(status)
    .type('text/xml;charset=UTF-8')
    .send(`${ENVELOPE_OPEN}${body}${ENVELOPE_CLOSE}`);
}

function fault(res: Response, code: string, message: string): void {
  const xml = builder.build({
    'soapenv:Fault': {
      faultcode: `sf:${code}`,
      faultstring: `${code}: ${message}`,
    },
  }) as string;
  send(
    res,
    500,
    xml.replace('<soapenv:Fault>', '<soapenv:Fault xmlns:sf="urn:fault.soap.sforce.com">'),
  );
}

type Xml = Record<string, unknown>;

/**
 * The Metadata SOAP API's `deploy` and `checkDeployStatus` at `/services/Soap/m/<version>`:
 * what `sf project deploy start` calls by default (Metadata API Developer Guide "deploy()",
 * "checkDeployStatus()"). Both share the REST resource's deploy code and results.
 */
export function metadataSoapRouter(state: EmulatorState): Router {
  const router = express.Router();
  router.post(
    ['/services/Soap/m/:version', '/services/Soap/m/:version/:orgId'],
    express.text({ type: () => true, limit: '60mb' }),
    (req: Request, res: Response) => {
      let envelope: Xml;
      try {
        envelope = (parser.parse(String(req.body)) as Xml).Envelope as Xml;
      } catch {
        fault(res, 'INVALID_XML', 'The request is not well-formed XML');
        return;
      }
      const header = (envelope?.Header ?? {}) as Xml;
      const session = String(((header.SessionHeader ?? {}) as Xml).sessionId ?? '');
      const token = state.tokens.valid(session);
      if (!token) {
        fault(
          res,
          'INVALID_SESSION_ID',
          'Invalid Session ID found in SessionHeader: Illegal Session',
        );
        return;
      }
      const body = (envelope.Body ?? {}) as Xml;
      if (body.deploy) {
        if (!state.org.userAccess(token.userId).isAdmin) {
          fault(res, 'INSUFFICIENT_ACCESS', 'insufficient access rights on cross-reference id');
          return;
        }
        const call = body.deploy as Xml;
        const options = (call.DeployOptions ?? {}) as Xml;
        readPackageZip(Buffer.from(String(call.ZipFile ?? ''), 'base64'))
          .then((files) => {
            const result = state.deploys.run(state, files, {
              userId: token.userId,
              checkOnly: options.checkOnly === 'true',
            });
            send(
              res,
              200,
              builder.build({
                deployResponse: { result: { done: false, id: result.id, state: 'Queued' } },
              }) as string,
            );
          })
          .catch(() => fault(res, 'INVALID_ZIP', 'The file is not a valid zip file'));
        return;
      }
      if (body.checkDeployStatus) {
        const call = body.checkDeployStatus as Xml;
        const result = state.deploys.get(String(call.asyncProcessId ?? ''));
        if (!result) {
          fault(res, 'INVALID_ID_FIELD', 'Invalid ID');
          return;
        }
        const details = String(call.includeDetails) === 'true';
        send(
          res,
          200,
          builder.build({
            checkDeployStatusResponse: {
              result: details ? result : { ...result, details: undefined },
            },
          }) as string,
        );
        return;
      }
      fault(res, 'INVALID_OPERATION', 'This emulator answers deploy and checkDeployStatus only');
    },
  );
  return router;
}
