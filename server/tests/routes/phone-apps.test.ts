import { describe, expect, it } from 'vitest'
import { TEST_APPID, TEST_SECRET } from '../helpers/harness.js'
import { expectError, H5_APPID, login, MP2_APPID, MP2_SECRET, useAllTargets } from '../helpers/providers.js'

// Two mini-programs of one company (WX_APPID=a,b). A getPhoneNumber code can only be read with the
// access_token of the mini-program that issued it; the mock refuses a code read with another app's
// token (40029), as WeChat does.
describe('POST /auth/phone with two mini-program AppIDs', () => {
  const harness = useAllTargets({ env: { WX_APPID: `${TEST_APPID},${MP2_APPID}`, WX_SECRET: `${TEST_SECRET},${MP2_SECRET}` } })
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
  const bindPhone = (token: string, payload: Record<string, unknown>) =>
    harness().inject({ method: 'POST', url: '/auth/phone', headers: bearer(token), payload })
  const loginAt = async (appId: string, name: string) => {
    const response = await login(harness(), { code: `mock-${name}.1`, platform: 'mp-weixin', appId })
    expect(response.statusCode, response.body).toBe(200)
    return response.json<{ token: string; user: { id: string } }>()
  }
  const phoneCodeOf = (appId: string, phone: string) => harness().mock.state.mintPhoneCode(phone, appId)

  it('reads the code with the access_token of the mini-program the user logged in with', async () => {
    const before = await harness().stats()
    const second = await loginAt(MP2_APPID, 'second_app_user')
    const response = await bindPhone(second.token, { code: phoneCodeOf(MP2_APPID, '13900000002') })
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json().user).toMatchObject({ id: second.user.id, phoneMasked: '139****0002' })

    const first = await loginAt(TEST_APPID, 'first_app_user')
    const answer = await bindPhone(first.token, { code: phoneCodeOf(TEST_APPID, '13900000001') })
    expect(answer.statusCode, answer.body).toBe(200)
    // One token per AppID, each fetched once.
    const after = await harness().stats()
    expect(after.stable_token! - before.stable_token!).toBe(2)
    expect(after.getuserphonenumber! - before.getuserphonenumber!).toBe(2)
  })

  it('uses the appId of the request for a user with identities in both mini-programs; without it, a BAD_REQUEST', async () => {
    const both = await loginAt(TEST_APPID, 'in_both')
    const link = await harness().inject({
      method: 'POST',
      url: '/auth/link',
      headers: bearer(both.token),
      payload: { code: 'mock-in_both.2', platform: 'mp-weixin', appId: MP2_APPID },
    })
    expect(link.statusCode, link.body).toBe(200)
    const before = await harness().stats()
    const message = expectError(await bindPhone(both.token, { code: phoneCodeOf(MP2_APPID, '13900000003') }), 400, 'BAD_REQUEST')
    expect(message).toMatch(/several WeChat mini-programs: send the appId/)
    expect(await harness().stats()).toEqual(before)

    const named = await bindPhone(both.token, { code: phoneCodeOf(MP2_APPID, '13900000004'), appId: MP2_APPID })
    expect(named.statusCode, named.body).toBe(200)
    expect(named.json().user.phoneMasked).toBe('139****0004')
    // The code of one app named with the other: WeChat does not know it there.
    expectError(await bindPhone(both.token, { code: phoneCodeOf(MP2_APPID, '13900000005'), appId: TEST_APPID }), 400, 'WX_CODE_INVALID')
  })

  it('refuses an appId that is not a configured mini-program, without echoing it', async () => {
    const user = await loginAt(TEST_APPID, 'names_other')
    for (const appId of ['wx-not-ours', H5_APPID]) {
      const message = expectError(await bindPhone(user.token, { code: 'mock-phone-13900000006', appId }), 400, 'APPID_NOT_CONFIGURED')
      expect(message).toMatch(/WX_APPID and WX_SECRET/)
      expect(message).not.toContain(appId)
    }
  })

  it('answers IDENTITY_NOT_FOUND for a user without a mini-program identity (logged in on H5)', async () => {
    const h5 = await login(harness(), { code: 'mock-h5_only.1', platform: 'h5-weixin' })
    expect(h5.statusCode, h5.body).toBe(200)
    const message = expectError(await bindPhone(h5.json().token, { code: 'mock-phone-13900000007' }), 404, 'IDENTITY_NOT_FOUND')
    expect(message).toMatch(/log in from the mini-program/)
  })
})

describe('the mock checks whose access_token reads a phone code', () => {
  const harness = useAllTargets({ env: { WX_APPID: `${TEST_APPID},${MP2_APPID}`, WX_SECRET: `${TEST_SECRET},${MP2_SECRET}` } })

  const tokenOf = async (appId: string, secret: string) => {
    const response = await fetch(`${harness().mockUrl}/cgi-bin/stable_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credential', appid: appId, secret }),
    })
    return ((await response.json()) as { access_token: string }).access_token
  }
  const readPhone = async (token: string, code: string) => {
    const response = await fetch(`${harness().mockUrl}/wxa/business/getuserphonenumber?access_token=${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    })
    return (await response.json()) as { errcode: number; phone_info?: { watermark: { appid: string } } }
  }

  it('keeps one stable token per app, refuses another app’s code and watermarks with the token’s app', async () => {
    const first = await tokenOf(TEST_APPID, TEST_SECRET)
    const second = await tokenOf(MP2_APPID, MP2_SECRET)
    expect(second).not.toBe(first)
    expect(await tokenOf(TEST_APPID, TEST_SECRET)).toBe(first)
    const code = harness().mock.state.mintPhoneCode('13900000008', MP2_APPID)
    expect((await readPhone(first, code)).errcode).toBe(40029)
    const read = await readPhone(second, code)
    expect(read).toMatchObject({ errcode: 0, phone_info: { watermark: { appid: MP2_APPID } } })
    // An app-less code (`mock-phone-…`, minted without appId) is any app's.
    expect((await readPhone(first, 'mock-phone-13900000009')).phone_info?.watermark.appid).toBe(TEST_APPID)
    await harness().inject({ method: 'GET', url: '/health' })
  })
})
