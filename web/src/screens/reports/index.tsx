// The charts' styles load with this screen's chunk, never with the app's first screen.
import '@mantine/charts/styles.css';
import { Tabs } from '@mantine/core';
import { Navigate, useLocation, useNavigate, useParams } from 'react-router';
import { PageTitle } from '../../components/page-title';
import { REPORT_TABS } from './report-tabs';

/**
 * Reports, one tab per report at /reports/<name>. The whole folder (and with it
 * @mantine/charts and recharts) is one lazily loaded chunk: the app's first screen never
 * pays for the charts. The period and location sit in the query string and carry across
 * tabs.
 */
export default function ReportsScreen() {
  const { '*': sub = '' } = useParams();
  const { search } = useLocation();
  const navigate = useNavigate();
  const current = REPORT_TABS.find((tab) => tab.path === sub);
  if (current === undefined)
    return <Navigate to={`/reports/${REPORT_TABS[0]!.path}${search}`} replace />;
  return (
    <>
      <PageTitle title={`${current.label} · Reports`}>Reports</PageTitle>
      <Tabs
        value={current.path}
        onChange={(value) => value !== null && navigate(`/reports/${value}${search}`)}
        keepMounted={false}
      >
        <Tabs.List mb="md">
          {REPORT_TABS.map((tab) => (
            <Tabs.Tab key={tab.path} value={tab.path}>
              {tab.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {REPORT_TABS.map(({ path, Component }) => (
          <Tabs.Panel key={path} value={path}>
            {path === current.path && <Component />}
          </Tabs.Panel>
        ))}
      </Tabs>
    </>
  );
}
