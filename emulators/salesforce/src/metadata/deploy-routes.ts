import Busboy from 'busboy';
import express, { type Request, type Response, type Router } from 'express';
import type { EmulatorState } from '../emulator-state';
import { SalesforceError } from '../rest/errors';
import { restContext, sendError, sendJson } from '../rest/request-context';
import { readPackageZip } from './package-files';

const MAX_ZIP_BYTES = 39 * 1024 * 1024; // Metadata API: 39 MB compressed

interface DeployForm {
  zip?: Buffer;
  options: Record<string, unknown>;
}

/** The multipart body of `POST metadata/deployRequest`: the zip and `{deployOptions}` JSON. */
function readForm(req: Request): Promise<DeployForm> {
  return new Promise((resolve, reject) => {
    let bb: ReturnType<typeof Busboy>;
    try {
      bb = Busboy({ headers: req.headers, limits: { fileSize: MAX_ZIP_BYTES } });
    } catch {
      reject(new SalesforceError(400, 'INVALID_MULTIPART_REQUEST', 'Invalid multipart request'));
      return;
    }
    const form: DeployForm = { options: {} };
    const json = (text: string) => {
      try {
        const parsed = JSON.parse(text) as { deployOptions?: Record<string, unknown> };
        form.options = parsed.deployOptions ?? {};
      } catch {
        reject(new SalesforceError(400, 'JSON_PARSER_ERROR', 'Invalid deployOptions JSON'));
      }
    };
    bb.on('file', (_name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const body = Buffer.concat(chunks);
        // form-data sends the JSON part with a content type, so busboy treats it as a file.
        if (info.mimeType.includes('json')) json(body.toString('utf8'));
        else form.zip = body;
      });
    });
    bb.on('field', (_name, value) => json(value));
    bb.on('error', reject);
    bb.on('close', () => resolve(form));
    req.pipe(bb);
  });
}

const isAdmin = (state: EmulatorState, userId: string) => state.org.userAccess(userId).isAdmin;

/**
 * `/services/data/vXX.X/metadata/deployRequest` ("Deploy Metadata with Apex REST": POST a
 * multipart zip + options, GET `/deployRequest/<id>?includeDetails=true` for the status), the
 * resource the Salesforce CLI uses when `org-metadata-rest-deploy` is on.
 */
export function metadataRestRouter(state: EmulatorState): Router {
  const router = express.Router();

  router.post('/deployRequest', (req: Request, res: Response) => {
    const { userId, base } = restContext(res);
    if (!isAdmin(state, userId)) {
      sendError(
        res,
        new SalesforceError(
          403,
          'INSUFFICIENT_ACCESS',
          'User does not have the Modify All Data or Modify Metadata Through Metadata API Functions permission',
        ),
      );
      return;
    }
    readForm(req)
      .then(async (form) => {
        if (!form.zip)
          throw new SalesforceError(400, 'INVALID_MULTIPART_REQUEST', 'No zip file in the request');
        const files = await readPackageZip(form.zip).catch(() => {
          throw new SalesforceError(400, 'INVALID_ZIP', 'The file is not a valid zip file');
        });
        const result = state.deploys.run(state, files, {
          userId,
          checkOnly: form.options.checkOnly === true,
        });
        const url = `${base}/metadata/deployRequest/${result.id}`;
        res.setHeader('Location', url);
        sendJson(res, 201, {
          id: result.id,
          url,
          deployOptions: form.options,
          deployResult: { ...result, status: 'Pending', done: false, details: undefined },
        });
      })
      .catch((error: unknown) => {
        if (error instanceof SalesforceError) sendError(res, error);
        else sendError(res, new SalesforceError(500, 'UNKNOWN_EXCEPTION', String(error)));
      });
  });

  router.get('/deployRequest/:id', (req: Request, res: Response) => {
    const result = state.deploys.get(String(req.params.id));
    if (!result) {
      sendError(
        res,
        new SalesforceError(404, 'NOT_FOUND', 'The requested resource does not exist'),
      );
      return;
    }
    const { base } = restContext(res);
    const details = req.query.includeDetails === 'true';
    sendJson(res, 200, {
      id: result.id,
      url: `${base}/metadata/deployRequest/${result.id}`,
      deployResult: details ? result : { ...result, details: undefined },
      deployOptions: { checkOnly: result.checkOnly, rollbackOnError: true },
    });
  });

  return router;
}
