import { QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, theme } from 'antd';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { setCsrfToken } from '../api/client';
import { setErrorPresenter } from '../api/errors';
import { antdLocale } from '../locales/catalogues';
import { CommunityProvider } from './community';
import { I18nProvider, useI18n } from './i18n';
import { LiveUpdates } from './liveUpdates';
import { createQueryClient } from './queryClient';
import { ME_KEY, useMe, useSaveLocale } from './session';

/** Connects the one error contract (api/errors.ts) to antd's message API and to the session. */
function ErrorBridge() {
  const { message } = AntApp.useApp();
  const { t } = useI18n();
  const queryClient = useQueryClient();
  useEffect(() => {
    setErrorPresenter({
      show: (text, error) => {
        const withId =
          error?.requestId && (error.status === 0 || error.status >= 500)
            ? `${text} (${t('errors.requestId', { id: error.requestId })})`
            : text;
        void message.error(withId);
      },
      fallback: (error) => {
        if (!error || error.status === 0) return error ? t('errors.network') : t('errors.unknown');
        if (error.status === 401) return t('errors.sessionExpired');
        return error.status >= 500 ? t('errors.server') : t('errors.unknown');
      },
      unauthorized: () => {
        setCsrfToken(null);
        queryClient.setQueryData(ME_KEY, null);
      },
    });
    return () => setErrorPresenter(null);
  }, [message, t, queryClient]);
  return null;
}

/**
 * The language follows the device when the user picked one here (and is saved to the account);
 * otherwise the account's saved language is adopted at sign-in.
 */
function LocaleSync() {
  const { data: me } = useMe();
  const { locale, chosenOnDevice, setLocale } = useI18n();
  const { mutate: saveLocale } = useSaveLocale();
  const syncedUser = useRef<string | null>(null);
  useEffect(() => {
    if (!me) {
      syncedUser.current = null;
      return;
    }
    if (syncedUser.current === me.id) return;
    syncedUser.current = me.id;
    if (chosenOnDevice) {
      if (me.locale !== locale) saveLocale(locale);
    } else if (me.locale && me.locale !== locale) {
      setLocale(me.locale);
    }
  }, [me, locale, chosenOnDevice, setLocale, saveLocale]);
  return null;
}

function AntdProviders({ children }: { children: ReactNode }) {
  const { locale } = useI18n();
  return (
    <ConfigProvider
      locale={antdLocale(locale)}
      theme={{ algorithm: theme.defaultAlgorithm, token: { colorPrimary: '#1668dc', borderRadius: 6 } }}
    >
      <AntApp>
        <ErrorBridge />
        <LocaleSync />
        <LiveUpdates />
        {children}
      </AntApp>
    </ConfigProvider>
  );
}

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <AntdProviders>
          <CommunityProvider>{children}</CommunityProvider>
        </AntdProviders>
      </I18nProvider>
    </QueryClientProvider>
  );
}
