import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { genericProblem, ProblemException } from '../http/problem-details';
import type { ConsoleAsset, ConsoleAssets } from './console-assets';
import { CONSOLE_HEADERS } from './console.headers';

export const CONSOLE_ASSETS = Symbol('ConsoleAssets');

/**
 * The web console's static files. No auth here: the page sends the operator's bearer token with its
 * own calls to the JSON API. Only files read at startup are served, looked up by exact name, so no
 * request path ever reaches the file system.
 */
@ApiExcludeController()
@Controller('console')
export class ConsoleController {
  constructor(@Inject(CONSOLE_ASSETS) private readonly assets: ConsoleAssets) {}

  @Get()
  page(@Req() request: Request, @Res() response: Response): void {
    send(request, response, this.assets.index);
  }

  @Get('assets/:file')
  asset(@Param('file') file: string, @Req() request: Request, @Res() response: Response): void {
    const found = this.assets.files.get(file);
    if (!found) throw new ProblemException(genericProblem(404, 'no such console file'));
    send(request, response, found);
  }
}

function send(request: Request, response: Response, asset: ConsoleAsset): void {
  response.set({ ...CONSOLE_HEADERS, 'Content-Type': asset.contentType, ETag: asset.etag });
  if (request.headers['if-none-match'] === asset.etag) {
    response.status(304).end();
    return;
  }
  response.status(200).send(asset.body);
}
